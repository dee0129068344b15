/// The models to try for a turn: the selected one, then `--fallback-model a,b,…` in order, each
/// at most once.
public struct FallbackChain: Sendable, Hashable {
    public var models: [ModelDescriptor]

    public init(primary: ModelDescriptor, fallbacks: [ModelDescriptor] = []) {
        var seen: Set<String> = [primary.qualifiedID]
        models = [primary] + fallbacks.filter { seen.insert($0.qualifiedID).inserted }
    }

    /// Parses `provider:model,provider:model` against the registry, dropping duplicates and
    /// the primary.
    public static func parse(
        _ list: String, primary: ModelDescriptor, registry: ModelRegistry, keys: APIKeys
    ) throws(ModelSelectionError) -> FallbackChain {
        var fallbacks: [ModelDescriptor] = []
        for entry in list.split(separator: ",") {
            let name = entry.trimmingSpaces()
            guard !name.isEmpty else { continue }
            fallbacks.append(try registry.resolve(provider: nil, model: name, baseURL: nil, keys: keys))
        }
        return FallbackChain(primary: primary, fallbacks: fallbacks)
    }
}

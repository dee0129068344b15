import PieSystem

/// Every model pie can use this run: built-ins, the DS4 descriptor when a DS4 URL is known, then
/// `~/.pie/models.json` (or `$PIE_DIR/models.json`) and `<project>/.pie/models.json`. A later
/// source replaces an earlier entry with the same provider and id, so the project wins.
public struct ModelRegistry: Sendable {
    public private(set) var models: [ModelDescriptor]
    /// `apiKey` values from pi-form files, by provider.
    public private(set) var configuredKeys: [String: String]

    public init(models: [ModelDescriptor] = BuiltinCatalog.models, configuredKeys: [String: String] = [:]) {
        self.models = []
        self.configuredKeys = configuredKeys
        for model in models { register(model) }
    }

    /// Adds `model`, replacing any entry with the same provider and id in place.
    public mutating func register(_ model: ModelDescriptor) {
        if let index = models.firstIndex(where: { $0.provider == model.provider && $0.id == model.id }) {
            models[index] = model
        } else {
            models.append(model)
        }
    }

    /// Loads every source. Any malformed file fails the whole load with its error.
    ///
    /// - Parameter baseURLFlag: `--base-url`, which also registers the DS4 descriptor.
    public static func load(
        environment: PieEnvironment, projectDirectory: String?, baseURLFlag: String? = nil
    ) throws(ModelsFileError) -> ModelRegistry {
        var registry = ModelRegistry()
        if let ds4 = DS4.baseURL(flag: baseURLFlag, environment: environment) {
            registry.register(DS4.descriptor(baseURL: ds4.url, source: ds4.source))
        }
        var paths: [String] = []
        if let state = environment.stateDirectory { paths.append(state + "/models.json") }
        if let projectDirectory { paths.append(projectDirectory + "/.pie/models.json") }
        for path in paths {
            let bytes: [UInt8]?
            do {
                bytes = try FileIO.read(path)
            } catch {
                throw ModelsFileError(path: path, line: 0, field: "(file)", reason: error.description)
            }
            guard let bytes else { continue }
            let contents = try ModelsFile.parse(bytes, path: path)
            for model in contents.models { registry.register(model) }
            for key in contents.providerKeys { registry.configuredKeys[key.provider] = key.value }
        }
        return registry
    }

    public func find(provider: String, id: String) -> ModelDescriptor? {
        models.first { $0.provider == provider && $0.id == id }
    }

    /// Provider names in registration order.
    public var providers: [String] {
        var seen: Set<String> = []
        return models.map(\.provider).filter { seen.insert($0).inserted }
    }
}

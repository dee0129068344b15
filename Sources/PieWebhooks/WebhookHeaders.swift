/// The request headers a signature check reads, by lowercased name (HTTP header names are
/// case-insensitive), each with every value it was sent with: a signature header sent twice is
/// ambiguous and is refused rather than guessed at.
public struct WebhookHeaders: Sendable, Equatable {
    private var values: [String: [String]] = [:]

    public init() {}

    /// Headers from name/value pairs, in the order they arrived.
    public init(_ pairs: [(name: String, value: String)]) {
        for pair in pairs { append(name: pair.name, value: pair.value) }
    }

    public mutating func append(name: String, value: String) {
        values[name.lowercased(), default: []].append(value)
    }

    /// Every value sent for `name` (any case).
    public func all(_ name: String) -> [String] {
        values[name.lowercased()] ?? []
    }

    /// The one value of `name`: missing when absent, an error when sent more than once.
    func single(_ name: String) throws(SignatureFailure) -> String {
        let found = all(name)
        switch found.count {
        case 0: throw .missingHeader(name)
        case 1: return found[0]
        default: throw .repeatedHeader(name)
        }
    }

    /// The one value of an optional header (nil when absent).
    func optional(_ name: String) throws(SignatureFailure) -> String? {
        all(name).isEmpty ? nil : try single(name)
    }
}

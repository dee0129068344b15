/// A models.json that cannot be used. Loading stops at the first one and registers nothing from
/// that file, so a typo never leaves half a configuration in effect.
public struct ModelsFileError: Error, Sendable, Hashable, CustomStringConvertible {
    public let path: String
    public let line: Int
    /// The offending field as a path, e.g. `providers.ollama.models[0].contextWindow`.
    public let field: String
    public let reason: String

    public var description: String { "\(path):\(line): \(field): \(reason)" }
}

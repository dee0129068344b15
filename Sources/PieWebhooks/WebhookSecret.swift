/// A webhook automation's shared secret, read from its `secret_env` variable when the listener
/// starts. Its description never shows the bytes, so logging a route cannot leak it.
public struct WebhookSecret: Sendable, CustomStringConvertible {
    public let bytes: [UInt8]

    /// nil for an empty value: an empty key would make every signature forgeable.
    public init?(_ text: String) {
        guard !text.isEmpty else { return nil }
        bytes = Array(text.utf8)
    }

    public var description: String { "<secret, \(bytes.count) bytes>" }
}

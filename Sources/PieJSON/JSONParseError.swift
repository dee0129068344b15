/// Why bytes are not the JSON that was expected, with the byte offset a reader (or a model
/// correcting its tool call) can act on.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    /// Offset of the offending byte; nil when the input as a whole is at fault (invalid UTF-8).
    public var offset: Int?

    public init(reason: String, offset: Int?) {
        self.reason = reason
        self.offset = offset
    }

    public var description: String {
        guard let offset else { return reason }
        return "\(reason) at byte \(offset)"
    }
}

/// An automation's id: its file name without `.toml`. Only letters, digits, `-` and `_` (starting
/// with a letter or digit, at most 64 characters), so an id is always a safe, portable file name
/// and a safe word in a log line, a URL or a metric label.
public struct AutomationID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let rawValue: String

    public init?(_ text: String) {
        guard Self.isValid(text) else { return nil }
        rawValue = text
    }

    public var description: String { rawValue }

    public static func < (lhs: AutomationID, rhs: AutomationID) -> Bool { lhs.rawValue < rhs.rawValue }

    public static func isValid(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard let first = bytes.first, bytes.count <= 64, isAlphanumeric(first) else { return false }
        return bytes.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }
    }

    /// What a valid id looks like, for error messages.
    public static let rule = "letters, digits, '-' and '_', starting with a letter or digit, at most 64 characters"

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }
}

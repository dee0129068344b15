/// A run's number in the store: increasing, never reused, what `pie automations logs RUN` takes.
public struct RunID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let rawValue: Int64

    public init(_ rawValue: Int64) { self.rawValue = rawValue }

    /// Parses the text a user types (`42`); nil unless it is a positive integer.
    public init?(parsing text: String) {
        guard let value = Int64(text), value > 0 else { return nil }
        rawValue = value
    }

    public var description: String { "\(rawValue)" }

    public static func < (lhs: RunID, rhs: RunID) -> Bool { lhs.rawValue < rhs.rawValue }
}

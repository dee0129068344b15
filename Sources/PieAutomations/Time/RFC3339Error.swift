/// Why a timestamp was refused, naming it and the part that is wrong.
public struct RFC3339Error: Error, Sendable, Equatable, CustomStringConvertible {
    /// The timestamp as given.
    public let text: String
    /// The full message; `description` returns it.
    public let message: String

    init(text: String, _ problem: String) {
        self.text = text
        self.message = "'\(text)' is not an RFC 3339 time: \(problem) (expected e.g. 2026-12-24T09:00:00+01:00)"
    }

    public var description: String { message }
}

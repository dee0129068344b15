/// A session job that cannot be added, changed or read: what is wrong (naming the value) and what
/// to do. The schedule tool returns it to the model, which can correct its call.
public struct SessionJobError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var fix: String

    public init(_ message: String, fix: String) {
        (self.message, self.fix) = (message, fix)
    }

    public var description: String { "\(message); \(fix)" }
}

/// A trigger service that cannot start, with what to do.
public struct TriggerError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

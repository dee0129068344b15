/// Why a memory call failed, in words the model (or the person at `/memory`) can act on.
public struct MemoryError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

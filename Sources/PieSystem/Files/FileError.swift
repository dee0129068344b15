import Glibc

/// A file system call failed: what pie was doing, on which path, and the errno.
public struct FileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What pie was doing, as a verb phrase (`open`, `read`, `create directory`).
    public let operation: String
    public let path: String
    public let code: Int32

    public init(operation: String, path: String, code: Int32) {
        self.operation = operation
        self.path = path
        self.code = code
    }

    public var description: String { "could not \(operation) \(path): \(String(cString: strerror(code)))" }
}

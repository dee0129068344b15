#if canImport(Glibc)
    import Glibc
import PieSystem
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why a session operation failed, phrased so the CLI can print it as is.
public enum SessionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A system call failed; `operation` names what pie was doing.
    case io(operation: String, path: String, errno: Int32)
    /// Another process held the session's lock for the whole wait.
    case lockTimeout(path: String, waitedMilliseconds: Int)
    /// Line 1 is missing or is not a session header, so the file is not a session.
    case invalidHeader(path: String, reason: String)
    case sessionNotFound(idPrefix: String)
    /// The prefix matches several sessions; the candidates are their full ids.
    case ambiguousPrefix(idPrefix: String, candidates: [String])
    case entryNotFound(id: String, path: String)
    case alreadyExists(path: String)
    /// libcrypto, which names a project's session directory by SHA-256, could not be used.
    case digestUnavailable(CryptoLibraryError)

    public var description: String {
        switch self {
        case .io(let operation, let path, let code):
            return "could not \(operation) \(path): \(String(cString: strerror(code)))"
        case .lockTimeout(let path, let waited):
            return "timed out after \(waited) ms waiting for the lock on \(path); "
                + "another pie process is writing this session (close it or retry)"
        case .invalidHeader(let path, let reason):
            return "\(path) is not a pie/pi session file: \(reason)"
        case .sessionNotFound(let prefix):
            return "no session id starts with '\(prefix)' (run `pie sessions` to list them)"
        case .ambiguousPrefix(let prefix, let candidates):
            return "session id prefix '\(prefix)' is ambiguous; it matches: "
                + candidates.joined(separator: ", ") + " (type more characters)"
        case .entryNotFound(let id, let path):
            return "entry '\(id)' does not exist in \(path)"
        case .alreadyExists(let path):
            return "\(path) already exists; refusing to overwrite a session"
        case .digestUnavailable(let error):
            return error.description
        }
    }

    /// The result of `body`, with a file-system failure reported as `.io`.
    static func io<T>(_ body: @autoclosure () throws(FileError) -> T) throws(SessionError) -> T {
        do {
            return try body()
        } catch {
            throw .io(operation: error.operation, path: error.path, errno: error.code)
        }
    }
}

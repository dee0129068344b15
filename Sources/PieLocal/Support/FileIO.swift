#if canImport(Glibc)
import Glibc
#endif

/// Minimal POSIX file access, so reading config does not pull in Foundation.
enum FileIO {
    struct Failure: Error, Sendable, CustomStringConvertible {
        let path: String
        let operation: String
        let code: Int32

        var description: String { "cannot \(operation) \(path): \(String(cString: strerror(code)))" }
    }

    /// The file's bytes, or `nil` when it does not exist.
    static func read(_ path: String) throws(Failure) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw Failure(path: path, operation: "open", code: errno)
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = Glibc.read(fd, &chunk, chunk.count)
            if count < 0 {
                if errno == EINTR { continue }
                throw Failure(path: path, operation: "read", code: errno)
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }

    /// Writes through a temporary file in the same directory and renames it over `path`, so a
    /// crash never leaves a half-written file; the file is created with `mode`.
    static func writeAtomically(_ bytes: [UInt8], to path: String, mode: mode_t) throws(Failure) {
        let temporary = "\(path).tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        if fd < 0 { throw Failure(path: temporary, operation: "create", code: errno) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                let code = errno
                close(fd)
                unlink(temporary)
                throw Failure(path: temporary, operation: "write", code: code)
            }
            offset += written
        }
        // The umask may have narrowed or (for a pre-existing temp) differed; force the mode.
        fchmod(fd, mode)
        fsync(fd)
        close(fd)
        if rename(temporary, path) != 0 {
            let code = errno
            unlink(temporary)
            throw Failure(path: path, operation: "replace", code: code)
        }
    }

    /// `mkdir -p` with `mode` for directories it creates.
    static func makeDirectories(_ path: String, mode: mode_t = 0o700) throws(Failure) {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            current += "/" + component
            if mkdir(current, mode) != 0 && errno != EEXIST {
                throw Failure(path: current, operation: "create directory", code: errno)
            }
        }
    }
}

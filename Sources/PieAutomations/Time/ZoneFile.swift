import Glibc

/// Reads a zone file whole, with plain system calls (no Foundation). Zone files are a few KiB;
/// anything over `maximumSize` is not one. Opened non-blocking, so a FIFO or device named by `TZ`
/// is refused by the regular-file check instead of hanging the open.
enum ZoneFile {
    static let maximumSize = 1 << 20

    enum Failure: Error {
        case missing
        case directory
        case other(String)
    }

    static func read(_ path: String) throws(Failure) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        guard descriptor >= 0 else {
            let code = errno
            if code == ENOENT || code == ENOTDIR { throw .missing }
            throw .other(String(cString: strerror(code)))
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .other(String(cString: strerror(errno))) }
        if status.st_mode & S_IFMT == S_IFDIR { throw .directory }
        guard status.st_mode & S_IFMT == S_IFREG else { throw .other("not a regular file") }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .other(String(cString: strerror(errno)))
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
            if bytes.count > maximumSize { throw .other("larger than \(maximumSize) bytes") }
        }
    }

    /// The target of a symbolic link, or nil when `path` is not one.
    static func linkTarget(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

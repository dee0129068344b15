#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads profile files from disk with plain POSIX calls (no Foundation on the start-up path).
public enum PolicyFiles {
    /// The file's UTF-8 text, nil when it does not exist, an error when it exists but cannot be read.
    public static func read(_ path: String) throws(PolicyError) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw PolicyError("\(path): cannot open: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw PolicyError("\(path): cannot read: \(String(cString: strerror(errno)))")
            }
            if count == 0 { break }
            bytes.append(contentsOf: buffer[0..<count])
            if bytes.count > 1_048_576 {
                throw PolicyError("\(path): larger than 1 MiB; a policy profile is a short TOML file")
            }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw PolicyError("\(path): not valid UTF-8 text")
        }
        return text
    }
}

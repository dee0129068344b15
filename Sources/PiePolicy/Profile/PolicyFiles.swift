#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PieSystem

/// Reads profile files from disk with plain POSIX calls (no Foundation on the start-up path).
public enum PolicyFiles {
    /// The file's UTF-8 text, nil when it does not exist, an error when it exists but cannot be read.
    public static func read(_ path: String) throws(PolicyError) -> String? {
        let bytes: [UInt8]
        do {
            guard let read = try FileIO.read(path, limit: 1_048_576) else { return nil }
            bytes = read
        } catch {
            throw PolicyError("\(path): cannot \(error.operation): \(String(cString: strerror(error.code)))")
        }
        if bytes.count > 1_048_576 {
            throw PolicyError("\(path): larger than 1 MiB; a policy profile is a short TOML file")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw PolicyError("\(path): not valid UTF-8 text")
        }
        return text
    }
}

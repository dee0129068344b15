import Glibc
import PieLocal

/// The few facts about this process the CLI needs, read once at the edge and passed down.
enum ProcessContext {
    static func environment() -> [String: String] {
        PieEnvironment.process().variables
    }

    /// The working directory, refused when its path is not valid UTF-8: a repaired spelling
    /// (U+FFFD) would make pie judge and open a project other than the one it runs in.
    static func currentDirectory() throws(PieExit) -> String {
        guard let pointer = getcwd(nil, 0) else { return "/" }
        defer { free(pointer) }
        let bytes = Array(UnsafeBufferPointer(start: pointer, count: strlen(pointer))).map { UInt8(bitPattern: $0) }
        guard let path = String(validating: bytes, as: UTF8.self) else {
            let offset = ArgumentEncoding.invalidOffset(bytes) ?? 0
            throw PieExit.usage(
                "the working directory's path is not valid UTF-8 (an invalid byte at offset \(offset)); "
                    + "run pie from a directory whose path is UTF-8, or rename it")
        }
        return path
    }
}

/// Ends a command with a specific exit code after its message was printed.
struct PieExit: Error {
    var code: Int32
    var message: String?

    static func usage(_ message: String) -> PieExit { PieExit(code: 2, message: message) }
}

/// Writes one line to standard error unbuffered, so it is never lost on exit (the C `stderr`
/// global is not concurrency-safe in Swift 6).
func printError(_ text: String) {
    writeAll(STDERR_FILENO, text.hasSuffix("\n") ? text : text + "\n")
}

/// Writes all of `text` to `descriptor`, retrying short writes and EINTR.
func writeAll(_ descriptor: Int32, _ text: String) {
    let bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
        let written = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        if written < 0, errno == EINTR { continue }
        guard written > 0 else { return }
        offset += written
    }
}

import Glibc
import PieSystem

/// Where `pie tool` takes a call's argument bytes from: `--args` or `--args-file`, exactly one.
///
/// `--args-file` exists for exact bytes (a shell cannot pass every byte sequence in an argument,
/// and `argv` cannot hold NUL). Its bytes are checked like `argv` (`ArgumentEncoding`) before
/// anything else happens, so invalid UTF-8 is refused with exit 2 and no tool, policy decision or
/// audit record runs.
enum ToolArgumentsInput {
    /// Larger argument files are refused: a tool call's arguments are what a model would send.
    static let maxFileBytes = 64 << 20

    static func bytes(inline: String?, file: String?) throws(PieExit) -> [UInt8] {
        switch (inline, file) {
        case (let text?, nil): return Array(text.utf8)
        case (nil, let path?):
            let bytes = try read(path)
            if let offset = ArgumentEncoding.invalidOffset(bytes) {
                throw PieExit.usage(
                    "\(ArgumentEncoding.message): '\(path)' has an invalid byte at offset \(offset); "
                        + "write the JSON arguments as UTF-8")
            }
            return bytes
        case (nil, nil): throw PieExit.usage("give the tool's arguments with --args JSON or --args-file PATH")
        case (.some, .some): throw PieExit.usage("give either --args or --args-file, not both")
        }
    }

    private static func read(_ path: String) throws(PieExit) -> [UInt8] {
        let bytes: [UInt8]
        do {
            bytes = try FileIO.readAll(path, limit: maxFileBytes)
        } catch {
            throw PieExit.usage("--args-file: cannot \(error.operation) '\(path)': \(String(cString: strerror(error.code)))")
        }
        if bytes.count > maxFileBytes {
            throw PieExit.usage(
                "--args-file: '\(path)' is larger than \(maxFileBytes >> 20) MiB; tool arguments are not that large")
        }
        return bytes
    }
}

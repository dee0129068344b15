import Glibc

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
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw PieExit.usage("--args-file: cannot open '\(path)': \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else {
                throw PieExit.usage("--args-file: cannot read '\(path)': \(String(cString: strerror(errno)))")
            }
            if count == 0 { return bytes }
            bytes += chunk[0..<count]
            if bytes.count > maxFileBytes {
                throw PieExit.usage(
                    "--args-file: '\(path)' is larger than \(maxFileBytes >> 20) MiB; tool arguments are not that large")
            }
        }
    }
}

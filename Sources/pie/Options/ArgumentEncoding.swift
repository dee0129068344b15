import Glibc

/// Refuses a command line whose bytes are not valid UTF-8, before ArgumentParser sees it.
///
/// Swift's `CommandLine.arguments` decodes `argv` with repair: every invalid byte becomes U+FFFD.
/// A tool's `--args`, an `--allow-path` or an `--allow-command` would then run with text the user
/// never wrote, and a path would name a different file from the one the kernel would open. So the
/// raw `argv` bytes are checked, all of them: a value's meaning depends on the flag before it,
/// which only the parser knows, and refusing every invalid argument cannot miss one that names a
/// command or a path. pie's own environment variables (`PIE_*`, and `HOME`, which `~` expands to)
/// name paths too and are checked the same way.
enum ArgumentEncoding {
    static let message = "arguments are not valid UTF-8"

    /// The usage error for the first invalid argument or variable; nil when everything is UTF-8.
    static func check(arguments: [[UInt8]], environment: [[UInt8]]) -> PieExit? {
        for (index, argument) in arguments.enumerated().dropFirst() {
            guard let offset = invalidOffset(argument) else { continue }
            let previous = index > 1 ? String(validating: arguments[index - 1], as: UTF8.self) : nil
            let context = previous.map { " (after '\($0)')" } ?? ""
            let hint = previous == "--args" ? " (or put the JSON in a file and pass --args-file)" : ""
            return PieExit.usage(
                "\(message): argument \(index)\(context) has an invalid byte at offset \(offset); "
                    + "pie refuses rather than replacing it, so pass the value as UTF-8\(hint)")
        }
        for entry in environment where isChecked(entry) {
            guard let offset = invalidOffset(entry) else { continue }
            let name = entry.prefix { $0 != UInt8(ascii: "=") }
            let place = offset > name.count ? "at offset \(offset - name.count - 1) of its value" : "in its name"
            return PieExit.usage(
                "\(message): the environment variable \(String(decoding: name, as: UTF8.self)) has an invalid "
                    + "byte \(place); set it to UTF-8 or unset it")
        }
        return nil
    }

    /// The process's raw `argv`.
    static func processArguments() -> [[UInt8]] {
        (0..<Int(CommandLine.argc)).map { index in
            CommandLine.unsafeArgv[index].map { bytes(ofCString: $0) } ?? []
        }
    }

    /// The process's raw `NAME=value` environment entries.
    static func processEnvironment() -> [[UInt8]] {
        var entries: [[UInt8]] = []
        var cursor = environ
        while let entry = cursor.pointee {
            entries.append(bytes(ofCString: entry))
            cursor += 1
        }
        return entries
    }

    /// Offset of the first byte that does not begin a valid UTF-8 sequence; nil when all is valid.
    static func invalidOffset(_ bytes: [UInt8]) -> Int? {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded): offset += encoded.count
            case .error: return offset
            case .emptyInput: return nil
            }
        }
    }

    /// `PIE_*` variables and `HOME`: the ones pie reads as paths, commands or settings.
    private static func isChecked(_ entry: [UInt8]) -> Bool {
        entry.starts(with: "PIE_".utf8) || entry.starts(with: "HOME=".utf8)
    }

    private static func bytes(ofCString pointer: UnsafePointer<CChar>) -> [UInt8] {
        Array(UnsafeBufferPointer(start: pointer, count: strlen(pointer))).map { UInt8(bitPattern: $0) }
    }
}

import PieSystem

/// Decides whether a line matches a `grep` pattern.
///
/// Swift `Regex` costs microseconds per line, which makes a search of a few thousand files take
/// seconds. Most patterns models send are plain words, so a pattern without regex
/// metacharacters (or any pattern with `literal: true`) is searched as bytes instead: first over
/// the whole file (`memmem`), so files without a match are never split into lines, then per line.
/// Case folding on that path is ASCII-only. Other patterns go through `Regex`, behind the same
/// byte search for the text every match must contain (`GrepLiteral`), when there is one.
enum GrepMatcher: Sendable {
    case bytes(needle: [UInt8], ignoreCase: Bool)
    /// `required`: bytes every matching line contains, searched before the regex runs.
    case regex(SharedRegex, required: [UInt8]?)

    static let metacharacters: Set<Character> = ["\\", "^", "$", ".", "|", "?", "*", "+", "(", ")", "[", "]", "{", "}"]

    init(pattern: String, literal: Bool, ignoreCase: Bool) throws(ToolFailure) {
        let plain = literal || !pattern.contains(where: Self.metacharacters.contains)
        if plain, !pattern.isEmpty, !ignoreCase || pattern.utf8.allSatisfy({ $0 < 0x80 }) {
            self = .bytes(needle: Array(ignoreCase ? pattern.lowercased().utf8 : pattern.utf8), ignoreCase: ignoreCase)
            return
        }
        let source = literal ? Self.escape(pattern) : pattern
        do {
            let compiled = try Regex(source)
            self = .regex(
                SharedRegex(ignoreCase ? compiled.ignoresCase() : compiled),
                required: GrepLiteral.required(in: source, ignoreCase: ignoreCase))
        } catch {
            throw ToolFailure("regex parse error: \(error)")
        }
    }

    /// The regex alone, without the byte search in front of it; what the prefilter must agree with.
    var withoutPrefilter: GrepMatcher {
        guard case .regex(let regex, _) = self else { return self }
        return .regex(regex, required: nil)
    }

    /// False only when no line of `file` can match on the byte path; a cheap whole-file test.
    /// A regex answers true here; its prefilter is `hasRequiredLiteral`.
    func mayMatch(_ file: [UInt8]) -> Bool {
        guard case .bytes(let needle, let ignoreCase) = self else { return true }
        return file.withUnsafeBytes { Self.contains(needle, in: $0, ignoreCase: ignoreCase) }
    }

    /// False when a regex's required literal is missing from `file`, so no line can match; true on
    /// the byte path (`mayMatch`) and for a regex without one.
    func hasRequiredLiteral(_ file: [UInt8]) -> Bool {
        guard case .regex(_, let required?) = self else { return true }
        return file.withUnsafeBytes { Self.contains(required, in: $0, ignoreCase: false) }
    }

    func matches(_ line: Substring) -> Bool {
        switch self {
        case .bytes(let needle, let ignoreCase):
            return Self.contains(needle, in: line, ignoreCase: ignoreCase)
        case .regex(let regex, let required):
            if let required, !Self.contains(required, in: line, ignoreCase: false) { return false }
            return line.contains(regex.regex)
        }
    }

    private static func contains(_ needle: [UInt8], in line: Substring, ignoreCase: Bool) -> Bool {
        let found = line.utf8.withContiguousStorageIfAvailable {
            contains(needle, in: UnsafeRawBufferPointer($0), ignoreCase: ignoreCase)
        }
        return found ?? Array(line.utf8).withUnsafeBytes { contains(needle, in: $0, ignoreCase: ignoreCase) }
    }

    /// Byte search; `needle` is already lowercased when `ignoreCase` (ASCII folding only).
    private static func contains(_ needle: [UInt8], in haystack: UnsafeRawBufferPointer, ignoreCase: Bool) -> Bool {
        guard haystack.count >= needle.count, let first = needle.first else { return needle.isEmpty }
        guard ignoreCase else { return needle.withUnsafeBytes { ByteSearch.contains($0, in: haystack) } }
        return needle.withUnsafeBufferPointer { pin in
            for start in 0...(haystack.count - pin.count) where lower(haystack[start]) == first {
                var index = 1
                while index < pin.count, lower(haystack[start + index]) == pin[index] { index += 1 }
                if index == pin.count { return true }
            }
            return false
        }
    }

    private static func lower(_ byte: UInt8) -> UInt8 {
        (0x41...0x5A).contains(byte) ? byte | 0x20 : byte
    }

    /// Escapes regex metacharacters so a literal pattern that needs the regex path (non-ASCII
    /// with `ignoreCase`) matches the text as written.
    static func escape(_ pattern: String) -> String {
        var escaped = ""
        for character in pattern {
            if metacharacters.contains(character) { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }
}

/// A compiled `Regex` shared by the tasks that search one tree's files.
///
/// `Regex<AnyRegexOutput>` is not `Sendable` because its output type is not; the tasks only ask
/// whether a line contains a match and never hand an output across. The regex's one mutable part,
/// the program it lowers on first use, is lowered here (a match against "") before any sharing,
/// so the tasks only read it.
struct SharedRegex: @unchecked Sendable {
    let regex: Regex<AnyRegexOutput>

    init(_ regex: Regex<AnyRegexOutput>) {
        _ = "".contains(regex)
        self.regex = regex
    }
}

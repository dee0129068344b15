/// Decides whether a line matches a `grep` pattern.
///
/// Swift `Regex` costs microseconds per line, which makes a search of a few thousand files take
/// seconds. Most patterns models send are plain words, so a pattern without regex
/// metacharacters (or any pattern with `literal: true`) is searched as bytes instead: first over
/// the whole file, so files without a match are never split into lines, then per line. Case
/// folding on that path is ASCII-only; other patterns go through `Regex`.
enum GrepMatcher {
    case bytes(needle: [UInt8], ignoreCase: Bool)
    case regex(Regex<AnyRegexOutput>)

    static let metacharacters: Set<Character> = ["\\", "^", "$", ".", "|", "?", "*", "+", "(", ")", "[", "]", "{", "}"]

    init(pattern: String, literal: Bool, ignoreCase: Bool) throws(ToolFailure) {
        let plain = literal || !pattern.contains(where: Self.metacharacters.contains)
        if plain, !pattern.isEmpty, !ignoreCase || pattern.utf8.allSatisfy({ $0 < 0x80 }) {
            self = .bytes(needle: Array(ignoreCase ? pattern.lowercased().utf8 : pattern.utf8), ignoreCase: ignoreCase)
            return
        }
        do {
            let compiled = try Regex(literal ? Self.escape(pattern) : pattern)
            self = .regex(ignoreCase ? compiled.ignoresCase() : compiled)
        } catch {
            throw ToolFailure("regex parse error: \(error)")
        }
    }

    /// False only when no line of `file` can match; a cheap whole-file test for the byte path.
    func mayMatch(_ file: [UInt8]) -> Bool {
        guard case .bytes(let needle, let ignoreCase) = self else { return true }
        return Self.contains(needle, in: file, ignoreCase: ignoreCase)
    }

    func matches(_ line: Substring) -> Bool {
        switch self {
        case .bytes(let needle, let ignoreCase): Self.contains(needle, in: Array(line.utf8), ignoreCase: ignoreCase)
        case .regex(let regex): line.contains(regex)
        }
    }

    /// Byte search; `needle` is already lowercased when `ignoreCase` (ASCII folding only).
    private static func contains(_ needle: [UInt8], in haystack: [UInt8], ignoreCase: Bool) -> Bool {
        guard haystack.count >= needle.count, let first = needle.first else { return needle.isEmpty }
        return haystack.withUnsafeBufferPointer { hay in
            needle.withUnsafeBufferPointer { pin in
                for start in 0...(hay.count - pin.count) {
                    let byte = ignoreCase ? lower(hay[start]) : hay[start]
                    guard byte == first else { continue }
                    var index = 1
                    while index < pin.count {
                        let next = ignoreCase ? lower(hay[start + index]) : hay[start + index]
                        guard next == pin[index] else { break }
                        index += 1
                    }
                    if index == pin.count { return true }
                }
                return false
            }
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

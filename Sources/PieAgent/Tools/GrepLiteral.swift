/// The longest run of ASCII text every match of a regex must contain, found by a conservative
/// reading of the pattern, so `grep` can search a file's bytes for it (`memmem`) and run the regex
/// only on lines that contain it.
///
/// Only what is certain counts: a pattern with `|` anywhere, an inline option group `(?…`, a
/// quoted span `\Q…\E` or a case-insensitive search yields nothing. Runs are built from top-level
/// ASCII characters that are not optional (`?`, `*`, `{…}`) and end at anything else: groups,
/// classes, anchors, `.`, class escapes (`\d`, `\w`, …). The scan stops at the first escape whose
/// argument it does not parse (`\x41`, `\p{L}`, back-references) or at a `[`, keeping what it
/// had. A character right before such an escape or before a non-ASCII scalar is dropped from its
/// run, because Swift `Regex` matches whole characters and `e\u{301}` is one character (é), which
/// the input may spell precomposed. `K`, `;` and `` ` `` never count: each is canonically equal to
/// another scalar (U+212A, U+037E, U+1FEF) that `Regex` would match without the ASCII byte.
enum GrepLiteral {
    /// Escapes that stand for one character class or assertion and take no argument.
    private static let simpleEscapes: Set<Unicode.Scalar> = [
        "d", "D", "w", "W", "s", "S", "b", "B", "h", "H", "v", "V", "R", "n", "t", "r", "f", "A", "z", "Z", "G", "X", "O",
    ]
    /// Punctuation that an escape turns into itself (`\<` and `\>` are left out: some dialects
    /// read them as word boundaries).
    private static let escapedPunctuation: Set<Unicode.Scalar> = [
        "\\", "^", "$", ".", "|", "?", "*", "+", "(", ")", "[", "]", "{", "}", "/", "-", "#", ":", "\"", "'", ",", "=",
        "!", "@", "%", "&", "~", "_",
    ]
    /// ASCII characters that never count as literal bytes.
    private static let excluded: Set<Unicode.Scalar> = ["K", ";", "`"]
    private static let syntax: Set<Unicode.Scalar> = ["\\", "^", "$", ".", "|", "?", "*", "+", "(", ")", "[", "]", "{", "}", "#"]

    static func required(in pattern: String, ignoreCase: Bool) -> [UInt8]? {
        // Scalars, not characters: `|` followed by a combining mark is one `Character` but still an
        // alternation to the regex parser.
        let scalars = Array(pattern.unicodeScalars)
        guard !ignoreCase, !scalars.contains("|") else { return nil }
        for (first, second) in zip(scalars, scalars.dropFirst())
        where (first == "(" && second == "?") || (first == "\\" && second == "Q") {
            return nil
        }
        var best: [UInt8] = []
        var run: [UInt8] = []
        func finish() {
            if run.count > best.count { best = run }
            run = []
        }
        /// Adds a literal character, unless a quantifier makes it optional.
        func literal(_ scalar: Unicode.Scalar, next index: Int) {
            let following = index < scalars.count ? scalars[index] : nil
            if following == "?" || following == "*" || following == "{" {
                finish()
                return
            }
            run.append(UInt8(scalar.value))
            if following == "+" { finish() }
        }
        var index = 0
        scan: while index < scalars.count {
            let scalar = scalars[index]
            index += 1
            if !scalar.isASCII {
                run.removeLast(run.isEmpty ? 0 : 1)
                finish()
                continue
            }
            switch scalar {
            case "\\":
                guard index < scalars.count else { break scan }
                let escaped = scalars[index]
                index += 1
                if escapedPunctuation.contains(escaped) {
                    literal(escaped, next: index)
                } else if simpleEscapes.contains(escaped) {
                    finish()
                } else {
                    run.removeLast(run.isEmpty ? 0 : 1)
                    break scan
                }
            case "(":
                finish()
                guard skipGroup(scalars, from: &index) else { break scan }
            case "[":
                break scan
            case "{":
                finish()
                while index < scalars.count, scalars[index] != "}" { index += 1 }
                index += 1
            default:
                if syntax.contains(scalar) || excluded.contains(scalar) || scalar.value < 0x20 || scalar.value == 0x7F {
                    finish()
                } else {
                    literal(scalar, next: index)
                }
            }
        }
        finish()
        return best.isEmpty ? nil : best
    }

    /// Moves past a group's closing `)`; false when the group holds a class (whose brackets this
    /// reading does not track) or never closes.
    private static func skipGroup(_ scalars: [Unicode.Scalar], from index: inout Int) -> Bool {
        var depth = 1
        while index < scalars.count {
            let scalar = scalars[index]
            index += 1
            switch scalar {
            case "\\": index += 1
            case "[": return false
            case "(": depth += 1
            case ")":
                depth -= 1
                if depth == 0 { return true }
            default: break
            }
        }
        return false
    }
}

/// Option words compared as a command's parser compares them: byte by byte. Swift's `String`
/// treats canonically equivalent spellings as equal (U+037E GREEK QUESTION MARK is `;`, U+212A
/// KELVIN SIGN is `K`) and fuses a `-` or `}` with a combining mark after it into one
/// `Character`; getopt, find and xargs see neither, so judging by `String` would read another
/// command line than the one that runs.
enum OptionBytes {
    static let dash = UInt8(ascii: "-")

    /// `-x`, `--x`, `-`, `--`: the first byte is `-`.
    static func startsWithDash(_ text: String) -> Bool {
        text.utf8.first == dash
    }

    /// `--name`, `--`: the first two bytes are `-`.
    static func startsWithDoubleDash(_ text: String) -> Bool {
        var bytes = text.utf8.makeIterator()
        return bytes.next() == dash && bytes.next() == dash
    }

    static func equal(_ text: String, _ other: String) -> Bool {
        text.utf8.elementsEqual(other.utf8)
    }

    static func hasPrefix(_ text: String, _ prefix: String) -> Bool {
        text.utf8.starts(with: prefix.utf8)
    }

    /// Whether `needle` occurs in `text` as bytes (`{}` inside `x{}\u{301}`).
    static func contains(_ text: String, _ needle: String) -> Bool {
        let haystack = Array(text.utf8)
        let pattern = Array(needle.utf8)
        guard !pattern.isEmpty, haystack.count >= pattern.count else { return pattern.isEmpty }
        for start in 0...(haystack.count - pattern.count) where haystack[start..<(start + pattern.count)].elementsEqual(pattern) {
            return true
        }
        return false
    }

    /// Whether every byte is ASCII. For such strings `String` equality and hashing agree with
    /// bytes, so they may be looked up in a dictionary keyed by option spellings.
    static func isASCII(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 < 0x80 }
    }

    /// `text` with ASCII `A`–`Z` turned into `a`–`z` and every other byte kept (Swift's
    /// `lowercased()` would also fold non-ASCII letters, which no variable lookup does).
    static func asciiLowercased(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) else { return text }
        let bytes = text.utf8.map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? $0 + 32 : $0 }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func isAmong(_ text: String, _ list: [String]) -> Bool {
        list.contains { equal($0, text) }
    }
}

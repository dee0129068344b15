/// The line each key of a TOML file is written on, keyed by its dotted path (`prompt`,
/// `trigger.cron`, `run.timeout`). toml++ reports positions only for syntax errors, so errors
/// about values find their line here. Multi-line strings are skipped, so a prompt's text is never
/// mistaken for a key; keys inside an inline table (`file = { path = … }`) answer with the line
/// of the table's key.
struct KeyLines: Sendable {
    private var lines: [String: Int] = [:]
    private var headers: [String: Int] = [:]
    /// The dotted key (or, on a `[table]` line, the table) written on each line, for syntax
    /// errors, which toml++ reports by line only.
    private var keys: [Int: String] = [:]
    /// The line of the first `[table]` header: top-level keys must come before it.
    private(set) var firstHeader: Int?

    init(_ text: String) {
        var section = ""
        var openString: Substring?
        for (index, row) in Self.rows(text).enumerated() {
            let raw = Substring(row)
            let number = index + 1
            if let delimiter = openString {
                if let end = Self.closing(delimiter, in: raw[...]) {
                    openString = Self.unclosedMultilineString(raw[end...])
                }
                continue
            }
            let line = raw.drop { $0 == " " || $0 == "\t" }
            if line.isEmpty || line.first == "#" { continue }
            if line.first == "[" {
                let name = line.drop { $0 == "[" }.prefix { $0 != "]" }
                section = Self.normalize(name)
                keys[number] = section
                if headers[section] == nil { headers[section] = number }
                if firstHeader == nil { firstHeader = number }
                continue
            }
            guard let equals = Self.outsideQuotes(line, "=").first else { continue }
            let key = Self.normalize(line[..<equals])
            let path = section.isEmpty ? key : section + "." + key
            keys[number] = path
            if lines[path] == nil { lines[path] = number }
            openString = Self.unclosedMultilineString(line[line.index(after: equals)...])
        }
    }

    /// The lines of `text` split at every LF, a CR before it kept. Split by unicode scalars: as
    /// Characters, CR LF is one grapheme and would never equal "\n".
    static func rows(_ text: String) -> [String] {
        text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { String(String.UnicodeScalarView($0)) }
    }

    /// The line of `path`, else of its nearest enclosing key or table, else 1.
    func line(_ path: String) -> Int {
        var parts = path.split(separator: ".").map(String.init)
        while !parts.isEmpty {
            let key = parts.joined(separator: ".")
            if let line = lines[key] ?? headers[key] { return line }
            parts.removeLast()
        }
        return 1
    }

    /// The line of the key `path` itself, nil when the file does not write it.
    func exactLine(_ path: String) -> Int? { lines[path] }

    /// The dotted key written on `line` (the table, on a header line), nil when there is none.
    func key(atLine line: Int) -> String? { keys[line] }

    /// The key or table written on `line`, else the nearest one above it (a comment or a
    /// continuation line belongs to what precedes it); nil above the first key.
    func nearestKey(atLine line: Int) -> String? {
        keys.filter { $0.key <= line }.max { $0.key < $1.key }?.value
    }

    /// The line of the `[table]` header that names `table`, nil when no header does.
    func headerLine(_ table: String) -> Int? { headers[table] }

    /// `a . "b"` → `a.b`: spaces around dots and quotes around parts removed; a dot inside quotes
    /// stays in its part.
    private static func normalize(_ key: Substring) -> String {
        var parts: [Substring] = []
        var start = key.startIndex
        for dot in outsideQuotes(key, ".") {
            parts.append(key[start..<dot])
            start = key.index(after: dot)
        }
        parts.append(key[start...])
        return parts.map { part in
            var text = part.trimmingCharacters(" \t")
            if text.count >= 2, let first = text.first, first == "\"" || first == "'", text.last == first {
                text = String(text.dropFirst().dropLast())
            }
            return text
        }.joined(separator: ".")
    }

    /// Where `separator` occurs in `text` outside quoted parts: `"a.b" = 1` is one key written
    /// with a dot, and `"a=b" = 1` has its `=` after the quotes.
    private static func outsideQuotes(_ text: Substring, _ separator: Character) -> [Substring.Index] {
        var found: [Substring.Index] = []
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character == "\"" || character == "'" {
                index = endOfString(text[index...])
                continue
            }
            if character == separator { found.append(index) }
            index = text.index(after: index)
        }
        return found
    }

    /// `"""` or `'''` when a value opens a multi-line string it does not close on the same line.
    /// Scans the value as TOML does: a quote inside another string or after `#` opens nothing
    /// (`prompt = 'say """'`, `model = "x" # see """`).
    private static func unclosedMultilineString(_ value: Substring) -> Substring? {
        var index = value.startIndex
        while index < value.endIndex {
            let rest = value[index...]
            let character = value[index]
            if character == "#" { return nil }
            for delimiter in ["\"\"\"", "'''"] where rest.hasPrefix(delimiter) {
                let body = rest.dropFirst(3)
                guard let end = closing(Substring(delimiter), in: body) else { return Substring(delimiter) }
                index = end
            }
            if index > rest.startIndex { continue }
            if character == "\"" || character == "'" {
                index = endOfString(rest)
            } else {
                index = value.index(after: index)
            }
        }
        return nil
    }

    /// Where a multi-line string closed by `delimiter` ends in `text` (just after the delimiter
    /// and any quotes that belong to the content), nil when it does not close there. In a basic
    /// string (`"""`), a delimiter after an odd number of backslashes is escaped.
    private static func closing(_ delimiter: Substring, in text: Substring) -> Substring.Index? {
        var index = text.startIndex
        var backslashes = 0
        while index < text.endIndex {
            if text[index...].hasPrefix(delimiter), delimiter.first == "'" || backslashes % 2 == 0 {
                var end = text.index(index, offsetBy: 3)
                // `""""` ends with a quote of the content: up to two more quotes are content.
                var extra = 0
                while end < text.endIndex, text[end] == delimiter.first, extra < 2 {
                    end = text.index(after: end)
                    extra += 1
                }
                return end
            }
            backslashes = text[index] == "\\" ? backslashes + 1 : 0
            index = text.index(after: index)
        }
        return nil
    }

    /// Just after the single-line string that starts `text` (its end when it never closes).
    private static func endOfString(_ text: Substring) -> Substring.Index {
        guard let quote = text.first else { return text.endIndex }
        var index = text.index(after: text.startIndex)
        while index < text.endIndex {
            let character = text[index]
            if character == quote { return text.index(after: index) }
            if quote == "\"", character == "\\" {
                index = text.index(after: index)
                if index == text.endIndex { break }
            }
            index = text.index(after: index)
        }
        return text.endIndex
    }
}

extension Substring {
    func trimmingCharacters(_ set: String) -> String {
        var text = self
        while let first = text.first, set.contains(first) { text.removeFirst() }
        while let last = text.last, set.contains(last) { text.removeLast() }
        return String(text)
    }
}

/// The line each key of a TOML file is written on, keyed by its dotted path (`prompt`,
/// `trigger.cron`, `run.timeout`). toml++ reports positions only for syntax errors, so errors
/// about values find their line here. Multi-line strings are skipped, so a prompt's text is never
/// mistaken for a key; keys inside an inline table (`file = { path = … }`) answer with the line
/// of the table's key.
struct KeyLines: Sendable {
    private var lines: [String: Int] = [:]
    private var headers: [String: Int] = [:]
    /// The line of the first `[table]` header: top-level keys must come before it.
    private(set) var firstHeader: Int?

    init(_ text: String) {
        var section = ""
        var openString: Substring?
        for (index, row) in Self.rows(text).enumerated() {
            let raw = Substring(row)
            let number = index + 1
            if let delimiter = openString {
                if raw.contains(delimiter) { openString = nil }
                continue
            }
            let line = raw.drop { $0 == " " || $0 == "\t" }
            if line.isEmpty || line.first == "#" { continue }
            if line.first == "[" {
                let name = line.drop { $0 == "[" }.prefix { $0 != "]" }
                section = Self.normalize(name)
                if headers[section] == nil { headers[section] = number }
                if firstHeader == nil { firstHeader = number }
                continue
            }
            guard let equals = line.firstIndex(of: "=") else { continue }
            let key = Self.normalize(line[..<equals])
            let path = section.isEmpty ? key : section + "." + key
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

    /// `a . "b"` → `a.b`: spaces around dots and quotes around parts removed.
    private static func normalize(_ key: Substring) -> String {
        key.split(separator: ".").map { part in
            var text = part.trimmingCharacters(" \t")
            if text.count >= 2, let first = text.first, first == "\"" || first == "'", text.last == first {
                text = String(text.dropFirst().dropLast())
            }
            return text
        }.joined(separator: ".")
    }

    /// `"""` or `'''` when a value opens a multi-line string it does not close on the same line.
    private static func unclosedMultilineString(_ value: Substring) -> Substring? {
        for delimiter in ["\"\"\"", "'''"] {
            let parts = value.split(separator: delimiter, omittingEmptySubsequences: false)
            if parts.count == 2 { return Substring(delimiter) }
        }
        return nil
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

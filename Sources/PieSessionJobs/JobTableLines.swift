/// The lines of a cron file's `[[job]]` headers and keys, for messages: toml++ reports positions
/// only for syntax errors. Lines inside multi-line strings are skipped, so a prompt's text is never
/// taken for a key.
struct JobTableLines: Sendable {
    /// Per `[[job]]` table, in order: its header line and the line of each key in it.
    private var jobs: [(header: Int, keys: [String: Int])] = []
    private var topLevel: [String: Int] = [:]
    /// The first line holding a NUL byte (TOML forbids it; toml++ would stop reading there).
    private(set) var nulLine: Int?

    init(_ text: String) {
        var openString: String?
        var inOtherTable = false
        let rows = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, scalars) in rows.enumerated() {
            let number = index + 1
            let row = String(String.UnicodeScalarView(scalars))
            if nulLine == nil, scalars.contains("\u{0}") { nulLine = number }
            if let delimiter = openString {
                if Self.count(delimiter, in: row) % 2 == 1 { openString = nil }
                continue
            }
            let line = row.drop { $0 == " " || $0 == "\t" }
            if line.isEmpty || line.first == "#" { continue }
            if line.hasPrefix("[") {
                let name = line.filter { $0 != "[" && $0 != "]" && $0 != " " && $0 != "\t" && $0 != "\r" }
                inOtherTable = !(line.hasPrefix("[[") && name == "job")
                if !inOtherTable { jobs.append((number, [:])) }
                if inOtherTable, topLevel[String(name)] == nil { topLevel[String(name)] = number }
                continue
            }
            guard let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters().replacingQuotes()
            if inOtherTable {
                // Reported with the table's header line.
            } else if jobs.isEmpty {
                if topLevel[key] == nil { topLevel[key] = number }
            } else if jobs[jobs.count - 1].keys[key] == nil {
                jobs[jobs.count - 1].keys[key] = number
            }
            let value = String(line[line.index(after: equals)...])
            for delimiter in ["\"\"\"", "'''"] where Self.count(delimiter, in: value) % 2 == 1 {
                openString = delimiter
            }
        }
    }

    /// The line of `key` in the `job`-th table (0-based), else the table's header, else 1.
    func line(job: Int, key: String?) -> Int {
        guard job < jobs.count else { return 1 }
        return key.flatMap { jobs[job].keys[$0] } ?? jobs[job].header
    }

    func topLevelLine(_ key: String) -> Int {
        topLevel[key] ?? 1
    }

    /// Non-overlapping occurrences of `delimiter` in `text`.
    private static func count(_ delimiter: String, in text: String) -> Int {
        let needle = Array(delimiter.utf8)
        let bytes = Array(text.utf8)
        var found = 0
        var index = 0
        while index + needle.count <= bytes.count {
            if bytes[index..<index + needle.count].elementsEqual(needle) {
                found += 1
                index += needle.count
            } else {
                index += 1
            }
        }
        return found
    }
}

extension Substring {
    fileprivate func trimmingCharacters() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}

extension String {
    fileprivate func replacingQuotes() -> String {
        filter { $0 != "\"" && $0 != "'" }
    }
}

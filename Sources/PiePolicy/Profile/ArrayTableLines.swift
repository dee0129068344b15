/// The lines a file of `[[NAME]]` tables (`hooks.toml`'s `[[hook]]`, `mcp.toml`'s `[[server]]`)
/// writes each element's header and keys on: toml++ reports positions only for syntax errors,
/// and every element shares one table name, so each element's lines are found here by position.
public struct ArrayTableLines: Sendable {
    /// Per `[[NAME]]`, in order: the header's line and the line of each key under it.
    public private(set) var elements: [(header: Int, keys: [String: Int])] = []
    /// Top-level keys (before the first header) and the line each is on.
    public private(set) var topLevel: [String: Int] = [:]

    public init(_ text: String, table: String) {
        let header = "[[\(table)]]"
        let rows = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
        var inOtherTable = false
        for (index, scalars) in rows.enumerated() {
            let row = String(String.UnicodeScalarView(scalars))
            let line = row.drop { $0 == " " || $0 == "\t" }
            if line.isEmpty || line.first == "#" { continue }
            if line.first == "[" {
                let name = line.filter { $0 != " " && $0 != "\t" }
                inOtherTable = !name.hasPrefix(header)
                if !inOtherTable { elements.append((index + 1, [:])) }
                continue
            }
            guard !inOtherTable, let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].filter { $0 != " " && $0 != "\t" && $0 != "\"" && $0 != "'" }
            if elements.isEmpty {
                if topLevel[key] == nil { topLevel[key] = index + 1 }
            } else if elements[elements.count - 1].keys[key] == nil {
                elements[elements.count - 1].keys[key] = index + 1
            }
        }
    }

    /// The line of `key` in the `index`th element (0-based), else its header, else 1.
    public func line(element index: Int, key: String? = nil) -> Int {
        guard elements.indices.contains(index) else { return 1 }
        return key.flatMap { elements[index].keys[$0] } ?? elements[index].header
    }
}

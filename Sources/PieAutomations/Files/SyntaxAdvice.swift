/// Turns a toml++ syntax error into an issue a person can act on: the field written on the line
/// the error is on, and a fix for the mistakes the TOML 1.0 specification makes easy (a key or
/// table defined twice, a trailing comma or a line break in an inline table, a string left open).
enum SyntaxAdvice {
    static func issue(file: String, line: Int, description: String, lines: KeyLines) -> AutomationIssue {
        let field = lines.nearestKey(atLine: line)
        return AutomationIssue(
            file: file, line: line, field: field, message: "not valid TOML: \(description)",
            fix: fix(for: description, field: field, lines: lines))
    }

    static func fix(for description: String, field: String?, lines: KeyLines) -> String {
        let name = quoted(in: description)
        if description.contains("cannot redefine existing table") || description.contains("cannot redefine existing array") {
            let table = name ?? field ?? "this table"
            return "'\(table)' is already defined above (by a [\(table)] header, a dotted key or an inline table); "
                + "define each table once and put all its keys there"
        }
        if description.contains("cannot redefine existing") {
            let key = name ?? "this key"
            let first = field.flatMap { path in
                lines.exactLine(path).map { " (first on line \($0))" }
            } ?? ""
            return "'\(key)' is already set in this table\(first); a key may appear only once: keep one"
        }
        if description.contains("dangling comma") {
            return "remove the comma before '}': a TOML 1.0 inline table allows no trailing comma"
        }
        if description.contains("inline table"), description.contains("'\\n'") {
            return "write the inline table on one line (TOML 1.0), or use a [table] with one key per line"
        }
        if description.contains("table header"), description.contains("expected ']'") {
            return "close the header on its line: [table] or [table.sub]"
        }
        if description.contains("expected value") {
            return "write a value after '=': a string in quotes, a number, true or false, [an, array] or { an = \"inline table\" }"
        }
        if description.contains("not representable in 64 bits") {
            return "use a smaller number"
        }
        if description.contains("control characters") || description.contains("end-of-file") {
            return "close each string on the line it starts (\"\"\" opens a multi-line string) and write control "
                + "characters as escapes such as \\n"
        }
        return "correct the syntax (https://toml.io/en/v1.0.0)"
    }

    /// The first 'quoted' name in toml++'s message, e.g. `prompt` in "cannot redefine existing string 'prompt'".
    private static func quoted(in description: String) -> String? {
        let parts = description.split(separator: "'", omittingEmptySubsequences: false)
        guard parts.count >= 3 else { return nil }
        return String(parts[parts.count - 2])
    }
}

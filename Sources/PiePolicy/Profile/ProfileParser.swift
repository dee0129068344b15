import TOMLKit

/// Reads a policy profile (a preset file, `--tool-policy-profile FILE` or `<project>/.pie/policy.toml`).
///
/// Every key must be a known field (or `extends`) with a value of the right type and range:
/// a typo in a security setting is an error, never silently ignored.
public enum ProfileParser {
    public static func parse(_ text: String, path: String, source: String) throws(PolicyError) -> PolicyLayer {
        // TOML allows no NUL, and toml++ stops reading at one: every setting after it would be
        // dropped without a word, a deny rule among them.
        if let nul = text.utf8.firstIndex(of: 0) {
            let line = text.utf8[..<nul].count { $0 == UInt8(ascii: "\n") } + 1
            throw PolicyError("\(path):\(line): a NUL byte, which TOML does not allow; remove it (settings after it would be lost)")
        }
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw PolicyError("\(path):\(error.source.begin.line): \(error.description)")
        } catch {
            throw PolicyError("\(path): cannot parse TOML: \(error)")
        }
        var layer = PolicyLayer()
        let lines = keyLines(text)
        for key in table.keys.sorted(by: { (lines[$0] ?? 0) < (lines[$1] ?? 0) }) {
            guard let value = table[key] else { continue }
            let at = "\(path):\(lines[key] ?? 1)"
            if key == "extends" {
                guard let name = value.string, let preset = PolicyPreset(rawValue: name) else {
                    throw PolicyError("\(at): extends must name a preset: \(PolicyPreset.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                layer.extends = preset
                continue
            }
            if key == "mcp" {
                try parseMCP(value, text: text, path: path, source: source, into: &layer)
                continue
            }
            guard let field = PolicyField(rawValue: key) else {
                let known = (["extends"] + PolicyField.topLevel.map(\.rawValue) + ["[mcp]"]).joined(separator: ", ")
                throw PolicyError("\(at): unknown field '\(key)'\(suggestion(for: key)); valid fields: \(known)")
            }
            switch convert(value, for: field) {
            case .success(let converted): layer.set(field, converted, source: source)
            case .failure(let error): throw PolicyError("\(at): \(key): \(error.message)")
            }
        }
        return layer
    }

    private static func convert(_ value: any TOMLValueConvertible, for field: PolicyField) -> Result<PolicyValue, PolicyValueError> {
        // Built only on failure: describing every value that is fine was measurable at start-up.
        var mismatch: PolicyValueError {
            PolicyValueError(field: field, message: "expected \(field.kind.expectation), got \(describe(value))")
        }
        switch field.kind {
        case .integer:
            guard value.type == .int, let number = value.int else { return .failure(mismatch) }
            return field.check(integer: number)
        case .boolean:
            guard value.type == .bool, let flag = value.bool else { return .failure(mismatch) }
            return .success(.boolean(flag))
        case .choice, .string:
            guard value.type == .string, let text = value.string else { return .failure(mismatch) }
            return field.parse(text: text)
        case .list:
            guard value.type == .array, let array = value.array else { return .failure(mismatch) }
            var items: [String] = []
            for element in array {
                guard element.type == .string, let text = element.string else { return .failure(mismatch) }
                items.append(text)
            }
            return field.check(list: items)
        }
    }

    /// The `[mcp]` table: `default`, `allow`, `ask`, `deny` (docs/policy.md, "MCP tools").
    private static func parseMCP(
        _ value: any TOMLValueConvertible, text: String, path: String, source: String, into layer: inout PolicyLayer
    ) throws(PolicyError) {
        let header = "\(path):\(sectionLine("mcp", in: text) ?? 1)"
        guard value.type == .table, let table = value.table else {
            throw PolicyError("\(header): mcp must be a table ([mcp] with default, allow, ask, deny), got \(describe(value))")
        }
        let fields: [String: PolicyField] = ["default": .mcpDefault, "allow": .mcpAllow, "ask": .mcpAsk, "deny": .mcpDeny]
        for key in table.keys.sorted() {
            guard let field = fields[key], let entry = table[key] else {
                throw PolicyError("\(header): unknown field 'mcp.\(key)'; valid fields of [mcp]: default, allow, ask, deny")
            }
            switch convert(entry, for: field) {
            case .success(let converted): layer.set(field, converted, source: source)
            case .failure(let error): throw PolicyError("\(header): \(field.rawValue): \(error.message)")
            }
        }
    }

    /// The line of a `[name]` header, or of `name.` dotted keys, for errors inside a table.
    static func sectionLine(_ name: String, in text: String) -> Int? {
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.hasPrefix("[\(name)]") || trimmed.hasPrefix("\(name).") { return index + 1 }
        }
        return nil
    }

    private static func describe(_ value: any TOMLValueConvertible) -> String {
        switch value.type {
        case .string: "the string \"\(value.string ?? "")\""
        case .int: "the integer \(value.int ?? 0)"
        case .bool: "the boolean \(value.bool ?? false)"
        case .double: "a floating-point number"
        case .array: "an array"
        case .table: "a table"
        default: "a date or time"
        }
    }

    /// toml++ reports positions only for syntax errors, so each top-level key's line is found in
    /// the text, in one pass: `key = …` at the start of a line (first occurrence wins); lines
    /// starting with `#` are comments. One loop over the characters, without splitting the text
    /// into lines first: this runs for the builtin profiles at every start of pie.
    static func keyLines(_ text: String) -> [String: Int] {
        enum Position { case indentation, key, rest }
        var lines: [String: Int] = [:]
        var number = 1
        var position = Position.indentation
        var key = ""
        for character in text {
            if character == "\n" {
                number += 1
                position = .indentation
                key = ""
                continue
            }
            if position == .indentation {
                if character == " " || character == "\t" { continue }
                position = character == "#" ? .rest : .key
            }
            guard position == .key else { continue }
            guard character == "=" else {
                key.append(character)
                continue
            }
            while let last = key.last, last == " " || last == "\t" { key.removeLast() }
            if !key.isEmpty, lines[key] == nil { lines[key] = number }
            position = .rest
        }
        return lines
    }

    private static func suggestion(for key: String) -> String {
        guard let best = Spelling.closest(to: key, among: PolicyField.topLevel.map(\.rawValue) + ["mcp"]) else { return "" }
        return " (did you mean '\(best)'?)"
    }
}

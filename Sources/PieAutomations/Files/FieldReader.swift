import PiePolicy
import TOMLKit

/// Typed access to one automation file's TOML values that records, instead of throwing, every
/// problem with its line and field, so one pass reports all of a file's mistakes.
struct FieldReader {
    let file: String
    let lines: KeyLines
    private(set) var issues: [AutomationIssue] = []
    /// Top-level keys written inside a table (`trigger.prompt` → `prompt`): reported as misplaced
    /// where they are written, and not again as missing at the top.
    var misplaced: [String: String] = [:]

    init(file: String, lines: KeyLines) {
        (self.file, self.lines) = (file, lines)
    }

    var hasErrors: Bool { issues.contains { $0.severity == .error } }

    mutating func error(_ field: String, _ message: String, fix: String) {
        issues.append(AutomationIssue(file: file, line: lines.line(field), field: field, message: message, fix: fix))
    }

    mutating func warning(_ field: String, _ message: String, fix: String) {
        issues.append(
            AutomationIssue(.warning, file: file, line: lines.line(field), field: field, message: message, fix: fix))
    }

    /// Reports every key of `table` that is not in `known`, with a spelling hint.
    mutating func rejectUnknownKeys(_ table: TOMLTable, known: [String], in section: String?) {
        for key in table.keys.sorted(by: { lines.line(path(section, $0)) < lines.line(path(section, $1)) })
        where !known.contains(key) {
            if let topLevel = misplaced[path(section, key)] {
                let header = section.flatMap { lines.headerLine($0) }.map { " (line \($0))" } ?? ""
                error(
                    path(section, key),
                    "'\(topLevel)' is written after the [\(section ?? "")] header\(header), so TOML reads it as \(path(section, key))",
                    fix: "move it above the first [table] header: keys after a header belong to that table")
                continue
            }
            let hint = Spelling.closest(to: key, among: known).map { " (did you mean '\($0)'?)" } ?? ""
            error(
                path(section, key), "unknown key '\(key)'\(hint)",
                fix: "remove it or correct its spelling; valid keys here: \(known.joined(separator: ", "))")
        }
    }

    func path(_ section: String?, _ key: String) -> String {
        section.map { "\($0).\(key)" } ?? key
    }

    mutating func string(_ table: TOMLTable, _ key: String, in section: String?) -> String? {
        guard let value = table[key] else { return nil }
        guard value.type == .string, let text = value.string else {
            mismatch(path(section, key), expected: "a string in quotes", value)
            return nil
        }
        return text
    }

    /// A string that must be present and not blank.
    mutating func requiredString(_ table: TOMLTable, _ key: String, in section: String?, meaning: String) -> String? {
        guard table[key] != nil else {
            if section == nil, misplaced.values.contains(key) { return nil }
            error(path(section, key), "missing", fix: "add \(key) = \"…\" (\(meaning))")
            return nil
        }
        guard let text = string(table, key, in: section) else { return nil }
        guard text.contains(where: { !$0.isWhitespace }) else {
            error(path(section, key), "is empty", fix: "write \(meaning)")
            return nil
        }
        return text
    }

    mutating func bool(_ table: TOMLTable, _ key: String, in section: String?) -> Bool? {
        guard let value = table[key] else { return nil }
        guard value.type == .bool, let flag = value.bool else {
            mismatch(path(section, key), expected: "true or false", value)
            return nil
        }
        return flag
    }

    mutating func integer(_ table: TOMLTable, _ key: String, in section: String?, range: ClosedRange<Int>) -> Int? {
        guard let value = table[key] else { return nil }
        guard value.type == .int, let number = value.int else {
            mismatch(path(section, key), expected: "a whole number in \(range.lowerBound)...\(range.upperBound)", value)
            return nil
        }
        guard range.contains(number) else {
            error(
                path(section, key), "\(number) is out of range",
                fix: "use a whole number in \(range.lowerBound)...\(range.upperBound)")
            return nil
        }
        return number
    }

    /// A positive number, written as an integer or a float.
    mutating func positiveNumber(_ table: TOMLTable, _ key: String, in section: String?) -> Double? {
        guard let value = table[key] else { return nil }
        let number: Double? =
            switch value.type {
            case .double: value.double
            case .int: value.int.map(Double.init)
            default: nil
            }
        guard let number else {
            mismatch(path(section, key), expected: "a number", value)
            return nil
        }
        guard number > 0, number.isFinite else {
            error(path(section, key), "\(number) is not a positive number", fix: "use a number above 0, e.g. 0.50")
            return nil
        }
        return number
    }

    /// One of a fixed set of words.
    mutating func choice<Choice: RawRepresentable & CaseIterable>(
        _ table: TOMLTable, _ key: String, in section: String?, as: Choice.Type
    ) -> Choice? where Choice.RawValue == String {
        guard let text = string(table, key, in: section) else { return nil }
        guard let choice = Choice(rawValue: text) else {
            let valid = Choice.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
            error(path(section, key), "'\(text)' is not a valid value", fix: "use one of \(valid)")
            return nil
        }
        return choice
    }

    mutating func duration(_ table: TOMLTable, _ key: String, in section: String?) -> AutomationDuration? {
        guard let text = string(table, key, in: section) else { return nil }
        guard let duration = AutomationDuration(parsing: text) else {
            error(
                path(section, key), "'\(text)' is not a duration (or is zero, or longer than a year)",
                fix: "write \(AutomationDuration.rule)")
            return nil
        }
        return duration
    }

    mutating func table(_ table: TOMLTable, _ key: String, in section: String?, shape: String) -> TOMLTable? {
        guard let value = table[key] else { return nil }
        guard value.type == .table, let inner = value.table else {
            mismatch(path(section, key), expected: "a table: \(shape)", value)
            return nil
        }
        return inner
    }

    mutating func stringArray(_ table: TOMLTable, _ key: String, in section: String?) -> [String]? {
        guard let value = table[key] else { return nil }
        guard value.type == .array, let array = value.array else {
            mismatch(path(section, key), expected: "an array of strings", value)
            return nil
        }
        var items: [String] = []
        for element in array {
            guard element.type == .string, let text = element.string else {
                mismatch(path(section, key), expected: "an array of strings", element)
                return nil
            }
            items.append(text)
        }
        return items
    }

    mutating func mismatch(_ field: String, expected: String, _ value: any TOMLValueConvertible) {
        error(field, "expected \(expected), got \(TOMLValueDescription.describe(value))", fix: "write \(expected)")
    }

}

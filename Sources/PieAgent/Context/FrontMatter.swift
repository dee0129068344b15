/// A Markdown file's leading `---` block of `key: value` lines, and the body after it.
///
/// Only flat scalar keys are read (skills use `name`, `description`, `disable-model-invocation`);
/// quotes around a value are removed. Anything more complex is ignored rather than failing.
public struct FrontMatter: Sendable, Equatable {
    public var fields: [String: String]
    public var body: String

    /// Splits `text`; a file without a leading `---` line has no fields and is all body.
    public init(parsing text: String) {
        let normalized = text.replacing("\r\n", with: "\n")
        var lines = normalized.split(separator: "\n", omittingEmptySubsequences: false)[...]
        guard lines.first?.trimming(" \t") == "---",
            let close = lines.dropFirst().firstIndex(where: { $0.trimming(" \t") == "---" })
        else {
            fields = [:]
            body = normalized
            return
        }
        var fields: [String: String] = [:]
        for line in lines[lines.index(after: lines.startIndex)..<close] {
            guard let colon = line.firstIndex(of: ":"), !line.hasPrefix(" "), !line.hasPrefix("#") else { continue }
            let key = line[..<colon].trimming(" \t")
            var value = line[line.index(after: colon)...].trimming(" \t")
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = String(value.dropFirst().dropLast())
            }
            fields[key] = value
        }
        lines = lines[lines.index(after: close)...]
        self.fields = fields
        self.body = lines.joined(separator: "\n").droppingLeadingNewlines()
    }
}

extension StringProtocol {
    /// `self` without leading and trailing characters from `characters`.
    func trimming(_ characters: String) -> String {
        var view = self[...]
        while let first = view.first, characters.contains(first) { view = view.dropFirst() }
        while let last = view.last, characters.contains(last) { view = view.dropLast() }
        return String(view)
    }

    func droppingLeadingNewlines() -> String {
        String(drop(while: { $0 == "\n" }))
    }
}

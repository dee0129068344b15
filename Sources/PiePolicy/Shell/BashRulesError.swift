/// A bash profile that could not be loaded. The description names the file, the line (when it
/// is known) and the field, and says what would have been valid, so the file can be fixed
/// without reading the loader.
public struct BashRulesError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file or builtin profile the text came from.
    public var source: String
    /// 1-based line of the problem, when TOMLKit or the field lookup could tell.
    public var line: Int?
    /// Dotted path of the offending field, e.g. `exec_rules[2].deny_options`.
    public var field: String?
    public var message: String

    public init(source: String, line: Int?, field: String?, message: String) {
        self.source = source
        self.line = line
        self.field = field
        self.message = message
    }

    public var description: String {
        var text = source
        if let line { text += ":\(line)" }
        text += ": "
        if let field { text += "field '\(field)': " }
        return text + message
    }
}

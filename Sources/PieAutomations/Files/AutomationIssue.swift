/// One problem found in an automation file: the file, the line, the field, what is wrong and what
/// to do. Errors keep that automation from loading (every other automation still loads); warnings
/// are printed and the automation loads.
public struct AutomationIssue: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Severity: String, Sendable {
        case error, warning
    }

    public var severity: Severity
    public var file: String
    /// 1-based; nil when the problem is the file itself (cannot be read, a bad name).
    public var line: Int?
    /// The dotted field name (`trigger.cron`, `run.timeout`); nil for whole-file problems.
    public var field: String?
    /// What is wrong, naming the bad value.
    public var message: String
    /// What to do about it.
    public var fix: String

    public init(
        _ severity: Severity = .error, file: String, line: Int?, field: String?, message: String, fix: String
    ) {
        (self.severity, self.file, self.line, self.field, self.message, self.fix) =
            (severity, file, line, field, message, fix)
    }

    /// `FILE:LINE: FIELD: message; fix`, with `warning:` in front of warnings.
    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        text += ": "
        if severity == .warning { text += "warning: " }
        if let field { text += "\(field): " }
        return text + message + "; " + fix
    }
}

/// One problem in a hooks file: where (file, line, field), what, and what to do.
public struct HookIssue: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    /// `hook[2].timeout_ms`, or nil for the whole file.
    public var field: String?
    public var message: String
    public var fix: String

    public init(file: String, line: Int, field: String?, message: String, fix: String) {
        self.file = file
        self.line = line
        self.field = field
        self.message = message
        self.fix = fix
    }

    public var description: String {
        "\(file):\(line): \(field.map { "\($0): " } ?? "")\(message); \(fix)"
    }
}

/// A hooks file that cannot be used: every problem found, none of its hooks run.
public struct HookFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var issues: [HookIssue]

    public init(_ issues: [HookIssue]) {
        self.issues = issues
    }

    public var description: String {
        issues.map(\.description).joined(separator: "\n")
    }
}

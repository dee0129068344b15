/// Which way a field change moves the policy: used to flag project policies that widen access.
enum PolicyStrictness {
    static func loosens(_ field: PolicyField, from old: PolicyValue?, to new: PolicyValue) -> Bool {
        switch (field, old, new) {
        case (.maxFileReadBytes, .integer(let a)?, .integer(let b)),
             (.maxFileWriteBytes, .integer(let a)?, .integer(let b)),
             (.maxToolOutputBytes, .integer(let a)?, .integer(let b)),
             (.bashTimeoutMs, .integer(let a)?, .integer(let b)),
             (.maxCommandLength, .integer(let a)?, .integer(let b)):
            return b > a
        case (.bashProfile, .string(let a)?, .string(let b)):
            return rank(BashProfileName(rawValue: b)) < rank(BashProfileName(rawValue: a))
        case (.osSandboxMode, .string(let a)?, .string(let b)):
            return rank(SandboxMode(rawValue: b)) < rank(SandboxMode(rawValue: a))
        case (.sandboxReads, let a, .string(let b)):
            return b == SandboxReads.host.rawValue && a != .string(b)
        case (.scheduleTool, let a, .string(let b)):
            return b == ScheduleToolRule.ask.rawValue && a != .string(b)
        case (.memoryTool, .string(let a)?, .string(let b)):
            return rank(Decision.Verdict(rawValue: b)) < rank(Decision.Verdict(rawValue: a))
        // Another model may be another provider: the sub-agent's prompt and every file it reads go there.
        case (.taskModel, let a, .string(let b)):
            return !b.isEmpty && a != .string(b)
        case (.bashDryRun, .boolean(let a)?, .boolean(let b)), (.enforceRegularFiles, .boolean(let a)?, .boolean(let b)):
            return a && !b
        case (.sandboxNetwork, _, .boolean(let b)):
            return b
        case (.osSandboxCommand, _, .string(let b)), (.toolAuditLog, _, .string(let b)):
            return !b.isEmpty
        case (.mcpDefault, .string(let a)?, .string(let b)), (.taskTool, .string(let a)?, .string(let b)):
            return rank(Decision.Verdict(rawValue: b)) < rank(Decision.Verdict(rawValue: a))
        case (.allowCommands, _, .list(let b)), (.allowPaths, _, .list(let b)), (.readPaths, _, .list(let b)),
             (.sandboxCaches, _, .list(let b)), (.mcpAllow, _, .list(let b)), (.taskFallbackModels, _, .list(let b)):
            return !b.isEmpty
        default:
            return false
        }
    }

    static func describe(_ value: PolicyValue?) -> String {
        switch value {
        case .integer(let v)?: String(v)
        case .boolean(let v)?: String(v)
        case .string(let v)?: "\"\(v)\""
        case .list(let v)?: "[" + v.joined(separator: ", ") + "]"
        case nil: "unset"
        }
    }

    private static func rank(_ profile: BashProfileName?) -> Int {
        switch profile {
        case .permissive?: 0
        case .balanced?: 1
        case .strict?, nil: 2
        }
    }

    private static func rank(_ verdict: Decision.Verdict?) -> Int {
        switch verdict {
        case .allow?: 0
        case .ask?: 1
        case .deny?, nil: 2
        }
    }

    private static func rank(_ mode: SandboxMode?) -> Int {
        switch mode {
        case .off?: 0
        case .auto?: 1
        case .force?, nil: 2
        }
    }
}

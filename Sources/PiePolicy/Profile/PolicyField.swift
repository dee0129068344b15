/// Every setting a policy file, an environment variable or a flag can change.
///
/// One table drives parsing, validation, precedence, `--print-tool-policy` and the docs, so a new
/// field is added in one place.
public enum PolicyField: String, CaseIterable, Sendable {
    case maxFileReadBytes = "max_file_read_bytes"
    case maxFileWriteBytes = "max_file_write_bytes"
    case maxToolOutputBytes = "max_tool_output_bytes"
    case bashTimeoutMs = "bash_timeout_ms"
    case maxCommandLength = "max_command_length"
    case bashProfile = "bash_profile"
    case allowCommands = "allow_commands"
    case bashDryRun = "bash_dry_run"
    case toolPolicyTrace = "tool_policy_trace"
    case osSandboxMode = "os_sandbox_mode"
    case osSandboxCommand = "os_sandbox_command"
    case sandboxNetwork = "sandbox_network"
    case sandboxReads = "sandbox_reads"
    case sandboxCaches = "sandbox_caches"
    case enforceRegularFiles = "enforce_regular_files"
    case toolAuditLog = "tool_audit_log"
    case allowPaths = "allow_paths"
    case readPaths = "read_paths"
    case denyPaths = "deny_paths"
    case protectedPaths = "protected_paths"
    case askCommands = "ask_commands"
    case askPaths = "ask_paths"
    case scheduleTool = "schedule_tool"
    case taskTool = "task_tool"
    case taskModel = "task_model"
    case taskFallbackModels = "task_fallback_models"
    case memoryTool = "memory_tool"
    case mcpDefault = "mcp.default"
    case mcpAllow = "mcp.allow"
    case mcpAsk = "mcp.ask"
    case mcpDeny = "mcp.deny"

    /// The fields written at a profile's top level; the others live in the `[mcp]` table.
    static let topLevel = allCases.filter { !$0.rawValue.contains(".") }

    public enum Kind: Sendable, Equatable {
        case integer(ClosedRange<Int>)
        case boolean
        case choice([String])
        case string
        /// Lists only grow across layers: a later layer adds entries, it never removes one, so no
        /// profile can quietly drop a deny or protected entry.
        case list
    }

    public var kind: Kind {
        switch self {
        case .maxFileReadBytes, .maxFileWriteBytes: .integer(1_024...1_073_741_824)
        case .maxToolOutputBytes: .integer(128...67_108_864)
        case .bashTimeoutMs: .integer(1...86_400_000)
        case .maxCommandLength: .integer(8...1_048_576)
        case .bashProfile: .choice(BashProfileName.allCases.map(\.rawValue))
        case .mcpDefault: .choice(Decision.Verdict.allCases.map(\.rawValue))
        case .osSandboxMode: .choice(SandboxMode.allCases.map(\.rawValue))
        case .sandboxReads: .choice(SandboxReads.allCases.map(\.rawValue))
        case .scheduleTool: .choice(ScheduleToolRule.allCases.map(\.rawValue))
        case .taskTool: .choice(Decision.Verdict.allCases.map(\.rawValue))
        case .memoryTool: .choice(MemoryToolRule.allCases.map(\.rawValue))
        case .bashDryRun, .toolPolicyTrace, .sandboxNetwork, .enforceRegularFiles: .boolean
        case .osSandboxCommand, .toolAuditLog, .taskModel: .string
        case .taskFallbackModels,
            .allowCommands, .allowPaths, .readPaths, .denyPaths, .protectedPaths, .sandboxCaches, .askCommands, .askPaths,
            .mcpAllow, .mcpAsk, .mcpDeny:
            .list
        }
    }

    /// The command-line flag that sets this field, if any.
    public var flag: String? {
        switch self {
        case .maxFileReadBytes: "--max-file-read-bytes"
        case .maxFileWriteBytes: "--max-file-write-bytes"
        case .maxToolOutputBytes: "--max-tool-output-bytes"
        case .bashTimeoutMs: "--bash-timeout-ms"
        case .maxCommandLength: "--max-command-length"
        case .bashProfile: "--bash-profile"
        case .allowCommands: "--allow-command"
        case .bashDryRun: "--bash-dry-run"
        case .toolPolicyTrace: "--tool-policy-trace"
        case .osSandboxMode: "--os-sandbox-mode"
        case .osSandboxCommand: "--os-sandbox-command"
        case .enforceRegularFiles: "--enforce-regular-files"
        case .toolAuditLog: "--tool-audit-log"
        case .allowPaths: "--allow-path"
        case .mcpAllow: "--allow-mcp-tool"
        case .mcpDefault, .mcpAsk, .mcpDeny,
            .sandboxNetwork, .sandboxReads, .sandboxCaches, .readPaths, .denyPaths, .protectedPaths, .askCommands,
            .askPaths, .scheduleTool, .taskTool, .taskModel, .taskFallbackModels, .memoryTool:
            nil
        }
    }

    /// The environment variable that sets this field: `PIE_` and the upper-cased flag name.
    public var environmentVariable: String? {
        guard let flag else { return nil }
        return "PIE_" + String(flag.dropFirst(2)).uppercased().replacingDashes()
    }

    /// One line for docs and `--help`.
    public var summary: String {
        switch self {
        case .maxFileReadBytes: "largest file the read tools will open, in bytes"
        case .maxFileWriteBytes: "largest content write and edit may produce, in bytes"
        case .maxToolOutputBytes: "cap on tool output handed back to the model, in bytes (pi's 50 KB cap also applies; the smaller wins)"
        case .bashTimeoutMs: "wall-clock limit of one bash call; the whole process tree is killed"
        case .maxCommandLength: "longest accepted command line, in characters"
        case .bashProfile: "which command rules judge bash lines: permissive, balanced or strict"
        case .allowCommands: "extra allowed command names; a trailing * is a prefix wildcard"
        case .bashDryRun: "judge bash calls but never run them"
        case .toolPolicyTrace: "attach every policy check to tool results"
        case .osSandboxMode: "off (host), auto (bubblewrap when it works, loud warning otherwise), force (bubblewrap or refuse)"
        case .osSandboxCommand: "your own launcher template with {cwd}, {shell} and {command}"
        case .sandboxNetwork: "let sandboxed commands use the network"
        case .sandboxReads: "what the sandbox shows besides the roots: allowlist (system directories, chosen /etc entries, an empty $HOME) or host (/ read-only minus deny_paths)"
        case .sandboxCaches: "package caches under ~ that a sandbox reading the host gets as private, per-project writable directories; the host's own stay read-only"
        case .enforceRegularFiles: "refuse symlinks, hard links and non-regular files in file tools"
        case .toolAuditLog: "JSONL audit log path (default ~/.pie/audit/<date>.jsonl)"
        case .allowPaths: "extra writable roots beyond the project directory"
        case .readPaths: "extra read-only roots beyond the project directory"
        case .denyPaths: "paths never reachable; **/NAME matches a component anywhere"
        case .protectedPaths: "paths under each writable root that stay read-only, even before they exist"
        case .askCommands: "commands that run only when a person approves each call, e.g. \"git push*\"; unattended runs never approve themselves"
        case .askPaths: "paths whose writes run only when a person approves each call; **/NAME matches a component anywhere"
        case .scheduleTool: "the model's schedule tool (session cron jobs and triggers): ask (a person confirms each call; pie -p and pie tool deny) or deny"
        case .taskTool: "the model's task tool (a delegated sub-agent under this same policy): allow (read-only tools run at once; bash, edit or write are asked), ask (a person confirms each call) or deny"
        case .taskModel: "the model task sub-agents answer from, as provider:id (a name `pie models list` shows); empty: this agent's own model and fallbacks"
        case .taskFallbackModels: "models (provider:id) sub-agents fall back to, in order, when task_model fails; only with task_model"
        case .memoryTool: "the model's memory tool (notes in ~/.pie/memory and <project>/.pie/memory that later sessions load): allow, ask (a person confirms each save and delete; pie -p and pie tool deny) or deny"
        case .mcpDefault: "what an MCP tool no [mcp] pattern names gets: allow, ask or deny"
        case .mcpAllow: "MCP tools that may run, as SERVER/TOOL globs (e.g. \"github/search_*\")"
        case .mcpAsk: "MCP tools that run only when a person approves each call (SERVER/TOOL globs); an ask wins over an allow"
        case .mcpDeny: "MCP tools that never run (SERVER/TOOL globs); a deny wins over every allow and ask"
        }
    }
}

extension String {
    fileprivate func replacingDashes() -> String {
        String(map { $0 == "-" ? "_" : $0 })
    }
}

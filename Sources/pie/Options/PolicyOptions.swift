import ArgumentParser
import PiePolicy
import PieRuntime

/// The policy flags, shared by `pie`, `pie policy explain`, `pie tool` and `pie audit replay`.
///
/// Every option is optional so that a flag given explicitly always wins, even when it repeats the
/// default; values are validated by `PolicyField` so flags, environment and files share one message.
struct PolicyOptions: ParsableArguments {
    @Option(name: .customLong("tool-policy-preset"), help: "Policy preset: permissive, balanced, strict or hardened (default balanced).")
    var preset: String?

    @Option(name: .customLong("tool-policy-profile"), help: "A TOML policy profile that may `extends` a preset and override any field.")
    var profile: String?

    @Option(name: .customLong("allow-path"), help: "An extra writable root (repeatable).")
    var allowPath: [String] = []

    @Option(name: .customLong("max-file-read-bytes"), help: ArgumentHelp(PolicyField.maxFileReadBytes.summary))
    var maxFileReadBytes: String?

    @Option(name: .customLong("max-file-write-bytes"), help: ArgumentHelp(PolicyField.maxFileWriteBytes.summary))
    var maxFileWriteBytes: String?

    @Option(name: .customLong("max-tool-output-bytes"), help: ArgumentHelp(PolicyField.maxToolOutputBytes.summary))
    var maxToolOutputBytes: String?

    @Option(name: .customLong("bash-timeout-ms"), help: ArgumentHelp(PolicyField.bashTimeoutMs.summary))
    var bashTimeoutMs: String?

    @Option(name: .customLong("max-command-length"), help: ArgumentHelp(PolicyField.maxCommandLength.summary))
    var maxCommandLength: String?

    @Option(name: .customLong("bash-profile"), help: "permissive, balanced or strict.")
    var bashProfile: String?

    @Option(name: .customLong("allow-command"), help: "An extra allowed command (repeatable); a trailing * is a prefix wildcard.")
    var allowCommand: [String] = []

    @Option(name: .customLong("allow-mcp-tool"), help: "An MCP tool that may run, as SERVER/TOOL globs (repeatable), e.g. 'github/search_*'.")
    var allowMCPTool: [String] = []

    @Flag(name: .customLong("bash-dry-run"), inversion: .prefixedNo, help: ArgumentHelp(PolicyField.bashDryRun.summary))
    var bashDryRun: Bool?

    @Flag(name: .customLong("tool-policy-trace"), inversion: .prefixedNo, help: ArgumentHelp(PolicyField.toolPolicyTrace.summary))
    var trace: Bool?

    @Option(name: .customLong("os-sandbox-mode"), help: "off, auto or force.")
    var osSandboxMode: String?

    @Option(name: .customLong("os-sandbox-command"), help: "Launcher template with {cwd}, {shell} and {command}.")
    var osSandboxCommand: String?

    @Option(name: .customLong("enforce-regular-files"), help: "true or false.")
    var enforceRegularFiles: String?

    @Option(name: .customLong("tool-audit-log"), help: "Audit log path (default ~/.pie/audit/<date>.jsonl).")
    var toolAuditLog: String?

    /// The explicit flags as a policy layer (source `flag`).
    func flagLayer() throws(PolicyError) -> PolicyLayer {
        var layer = PolicyLayer()
        let texts: [(PolicyField, String?)] = [
            (.maxFileReadBytes, maxFileReadBytes), (.maxFileWriteBytes, maxFileWriteBytes),
            (.maxToolOutputBytes, maxToolOutputBytes), (.bashTimeoutMs, bashTimeoutMs),
            (.maxCommandLength, maxCommandLength), (.bashProfile, bashProfile),
            (.osSandboxMode, osSandboxMode), (.osSandboxCommand, osSandboxCommand),
            (.enforceRegularFiles, enforceRegularFiles), (.toolAuditLog, toolAuditLog),
        ]
        for case let (field, text?) in texts {
            switch field.parse(text: text) {
            case .success(let value): layer.values[field] = value
            case .failure(let error): throw PolicyError("\(field.flag ?? field.rawValue): \(error.message)")
            }
            layer.sources[field] = "flag"
        }
        let lists: [(PolicyField, [String])] = [(.allowPaths, allowPath), (.allowCommands, allowCommand), (.mcpAllow, allowMCPTool)]
        for (field, items) in lists where !items.isEmpty {
            if case .failure(let error) = field.check(list: items) {
                throw PolicyError("\(field.flag ?? field.rawValue): \(error.message)")
            }
            layer.values[field] = .list(items)
            layer.sources[field] = "flag"
        }
        let booleans: [(PolicyField, Bool?)] = [(.bashDryRun, bashDryRun), (.toolPolicyTrace, trace)]
        for case let (field, value?) in booleans {
            layer.values[field] = .boolean(value)
            layer.sources[field] = "flag"
        }
        return layer
    }

    /// The builder's policy options: preset, profile and the flags as the overriding layer.
    func selection() throws(PolicyError) -> PolicySelection {
        var presetFlag: PolicyPreset?
        if let preset {
            guard let parsed = PolicyPreset(rawValue: preset) else {
                throw PolicyError("--tool-policy-preset: '\(preset)' is not a preset; valid: \(PolicyPreset.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            presetFlag = parsed
        }
        return PolicySelection(preset: presetFlag, profile: profile, overrides: try flagLayer())
    }

    /// The effective policy for a project directory, as an agent would run under it.
    func effectivePolicy(cwd: String, environment: [String: String]) throws(PolicyError) -> EffectivePolicy {
        try selection().effectivePolicy(cwd: cwd, environment: environment)
    }
}

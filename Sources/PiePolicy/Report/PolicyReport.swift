import PieJSON

/// Renders policies and decisions for people and machines.
public enum PolicyReport {
    public static let schemaVersion = 1

    /// `--print-tool-policy`: every field's value and where it came from, keys in a fixed order.
    public static func json(_ effective: EffectivePolicy, bashRules: BashRules?) -> JSONValue {
        let policy = effective.policy
        var values: [(String, JSONValue)] = []
        var sources: [(String, JSONValue)] = []
        for field in PolicyField.allCases {
            values.append((field.rawValue, json(effective.values[field])))
            sources.append((field.rawValue, .string(effective.sources[field] ?? "default")))
        }
        var members: [(String, JSONValue)] = [
            ("schema_version", .integer(schemaVersion)),
            ("preset", .string(policy.preset.rawValue)),
            ("preset_source", .string(effective.presetSource)),
            ("project_root", .string(policy.paths.projectRoot)),
            ("write_roots", .array(policy.paths.writeRoots.map(JSONValue.string))),
            ("read_roots", .array(policy.paths.readRoots.map(JSONValue.string))),
            ("sandbox_read_roots", .array(sandboxReadRoots(policy.paths))),
            ("state_deny", .array(effective.stateDeny.map { entry in
                .object(JSONObject([("path", .string(entry.path)), ("what", .string(entry.what)), ("source", .string(entry.source))]))
            })),
            ("policy", .object(JSONObject(values))),
            ("sources", .object(JSONObject(sources))),
        ]
        if let bashRules {
            let listed = bashRules.allowedCommands + policy.allowCommands
            members.append((
                "bash_allowed_commands",
                bashRules.allowedCommands.isEmpty ? .string("any") : .array(listed.map(JSONValue.string))))
        }
        members.append(("warnings", .array(effective.warnings.map(JSONValue.string))))
        return .object(JSONObject(members))
    }

    /// What a sandboxed command can read, in mount order, as the host looks now: the allowlist's
    /// binds, or `/` read-only and the package caches that exist (each a private directory of the
    /// project, docs/sandbox.md); then the writable roots.
    static func sandboxReadRoots(
        _ paths: PathPolicy, lookup: (String) -> SandboxReadRoots.HostEntry? = SandboxReadRoots.hostLookup
    ) -> [JSONValue] {
        func entry(_ path: String, _ mount: String) -> JSONValue {
            .object(JSONObject([("path", .string(path)), ("mount", .string(mount))]))
        }
        var entries: [JSONValue] = []
        switch paths.sandboxReads {
        case .host:
            entries.append(entry("/", "read-only, deny_paths masked"))
            for cache in paths.applicableSandboxCaches where lookup(cache) == SandboxReadRoots.HostEntry(kind: .directory) {
                entries.append(entry(cache, "read-write, a private directory of the project (sandbox_caches)"))
            }
        case .allowlist:
            for bind in SandboxReadRoots.binds(paths: paths, lookup: lookup) {
                switch bind {
                case .readOnly(let path): entries.append(entry(path, "read-only"))
                case .symlink(let path, let target): entries.append(entry(path, "symlink to \(target)"))
                case .emptyHome(let path): entries.append(entry(path, "empty, read-only $HOME"))
                }
            }
        }
        return entries + paths.writeRoots.map { entry($0, "read-write") }
    }

    /// What happens to a call the policy holds for approval, wherever it runs.
    public static let askNote =
        "runs only when a person approves it: interactive pie asks at the terminal; pie -p and pie tool "
        + "have nobody to ask and deny it; an automation run parks as needs_approval until "
        + "`pie automations approve RUN CALL` (or deny, or approval_timeout)"

    /// `pie policy explain --json`.
    public static func json(_ decision: Decision, tool: String, input: String) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("schema_version", .integer(schemaVersion)),
            ("tool", .string(tool)),
            ("input", .string(input)),
            ("decision", .string(decision.verdict.rawValue)),
            ("rule", .string(decision.rule)),
            ("reason", .string(decision.reason)),
        ]
        if let path = decision.resolvedPath { members.append(("resolved_path", .string(path))) }
        if decision.verdict == .ask { members.append(("approval", .string(askNote))) }
        members.append((
            "trace",
            .array(decision.trace.map { check in
                .object(JSONObject([
                    ("check", .string(check.check)), ("outcome", .string(check.outcome.rawValue)),
                    ("detail", .string(check.detail)),
                ]))
            })))
        return .object(JSONObject(members))
    }

    /// `pie policy explain`: the decision, the deciding rule, the reason and every check.
    public static func text(_ decision: Decision, tool: String, input: String) -> String {
        var lines = [
            "decision: \(decision.verdict.rawValue)",
            "tool:     \(tool) \(input)",
            "rule:     \(decision.rule)",
            "reason:   \(decision.reason)",
        ]
        if let path = decision.resolvedPath { lines.append("path:     \(path)") }
        if decision.verdict == .ask { lines.append("approval: \(askNote)") }
        lines.append("trace:")
        let width = decision.trace.map(\.check.count).max() ?? 0
        for check in decision.trace {
            let padded = check.check + String(repeating: " ", count: width - check.check.count)
            lines.append("  \(check.outcome.rawValue.padding(5)) \(padded)  \(check.detail)")
        }
        return lines.joined(separator: "\n")
    }

    private static func json(_ value: PolicyValue?) -> JSONValue {
        switch value {
        case .integer(let v)?: .integer(v)
        case .boolean(let v)?: .bool(v)
        case .string(let v)?: .string(v)
        case .list(let v)?: .array(v.map(JSONValue.string))
        case nil: .null
        }
    }
}

extension String {
    fileprivate func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}

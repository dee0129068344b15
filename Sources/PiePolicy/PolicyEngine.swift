/// The single place that decides what a tool call may do.
///
/// Pure apart from path canonicalisation, deterministic, and cheap enough to run on every call;
/// `--print-tool-policy`, `pie policy explain` and the agent all go through it, so what a reviewer
/// reads is exactly what runs.
public struct PolicyEngine: Sendable {
    public let policy: ToolPolicy
    public let bashRules: BashRules

    public init(policy: ToolPolicy) throws(PolicyError) {
        self.policy = policy
        do {
            self.bashRules = try BashRules.builtin(named: policy.bashProfile.rawValue)
        } catch {
            throw PolicyError("bash profile '\(policy.bashProfile.rawValue)': \(error)")
        }
    }

    /// Judges one request. `cwd` is the directory relative paths start from (the project root when nil).
    public func evaluate(_ request: ToolRequest, cwd: String? = nil) -> Decision {
        let base = cwd.map { PathNormalizer.join(policy.paths.projectRoot, $0) } ?? policy.paths.projectRoot
        switch request {
        case .file(let tool, let path):
            return evaluatePath(path, tool: tool, cwd: base)
        case .bash(let command, let commandCwd):
            return evaluateBash(command, cwd: commandCwd.map { PathNormalizer.join(base, $0) } ?? base)
        }
    }

    private func evaluatePath(_ requested: String, tool: FileTool, cwd: String) -> Decision {
        var trace = DecisionTrace()
        let absolute: String
        switch PathResolver.absolute(requested, cwd: cwd, home: policy.paths.home) {
        case .success(let path):
            absolute = path
            trace.pass("path.syntax", "'\(requested)' is a well-formed path")
        case .failure(let error):
            return trace.deny("path.syntax", error.message)
        }
        let lexical = PathNormalizer.normalize(absolute)
        if PathNormalizer.isMagicProcPath(lexical) {
            return trace.deny("path.magic_link", "'\(lexical)' is a /proc magic link that can escape every root; it is never reachable", path: lexical)
        }
        let canonical = PathResolver.canonicalize(absolute)
        // Compared as bytes: a symlink from `e\u{301}` to `é` changes the file although Swift's
        // `==` calls the two spellings equal.
        let throughSymlink = !PathBytes.equal(canonical, lexical)
        trace.pass("path.resolve", !throughSymlink ? "resolves to '\(canonical)'" : "'\(lexical)' resolves through a symlink to '\(canonical)'")
        if throughSymlink, policy.enforceRegularFiles {
            return trace.deny(
                "path.symlink",
                "'\(lexical)' goes through a symlink (to '\(canonical)'); symlinks are refused while enforce_regular_files is on — use the real path",
                path: canonical)
        }
        for candidate in throughSymlink ? [lexical, canonical] : [lexical] {
            if case .denied(let rule, let reason) = policy.paths.classify(candidate, access: tool.access) {
                return trace.deny(rule, reason, path: canonical)
            }
        }
        trace.pass("path.rules", "\(tool.access.rawValue) access to '\(canonical)' is inside a root and on no deny or protected list")
        return trace.allow("\(tool.rawValue) may \(tool.access.rawValue) '\(canonical)'", path: canonical)
    }

    private func evaluateBash(_ command: String, cwd: String) -> Decision {
        var trace = DecisionTrace()
        let length = command.count
        guard length <= policy.maxCommandLength else {
            return trace.deny(
                "max_command_length",
                "the command is \(length) characters long; the limit is \(policy.maxCommandLength) (--max-command-length)")
        }
        trace.pass("max_command_length", "\(length) of \(policy.maxCommandLength) characters")

        // The project root was canonicalised when the policy was built; most commands run there.
        let canonicalCwd = PathBytes.equal(cwd, policy.paths.projectRoot) ? cwd : PathResolver.canonicalize(cwd)
        if case .denied(let rule, let reason) = policy.paths.classify(canonicalCwd, access: .read) {
            return trace.deny("cwd", "working directory rejected (\(rule)): \(reason)")
        }
        trace.pass("cwd", "runs in '\(canonicalCwd)'")

        let paths = policy.paths
        let context = ShellContext(cwd: canonicalCwd, extraAllowedCommands: policy.allowCommands) { path in
            if case .allowed = paths.classify(path, access: .write) { return true }
            return false
        }
        let shell = ShellAnalyzer.evaluate(command, rules: bashRules, context: context)
        trace.checks += shell.trace
        guard shell.allowed else {
            return Decision(allowed: false, rule: shell.rule, reason: shell.reason, trace: trace.checks)
        }
        if policy.bashDryRun {
            trace.pass("bash_dry_run", "allowed, but dry-run mode never executes commands")
        }
        return trace.allow("every command in the line is allowed by the '\(bashRules.name)' bash profile")
    }
}

/// Accumulates checks and ends in a decision, so every exit of an evaluation carries its trace.
struct DecisionTrace {
    var checks: [PolicyCheck] = []

    mutating func pass(_ check: String, _ detail: String) {
        checks.append(PolicyCheck(check: check, outcome: .allow, detail: detail))
    }

    mutating func deny(_ check: String, _ reason: String, path: String? = nil) -> Decision {
        checks.append(PolicyCheck(check: check, outcome: .deny, detail: reason))
        return Decision(allowed: false, rule: check, reason: reason, trace: checks, resolvedPath: path)
    }

    func allow(_ reason: String, path: String? = nil) -> Decision {
        Decision(allowed: true, rule: "allowed", reason: reason, trace: checks, resolvedPath: path)
    }
}

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
                .judgingAddedCommands(policy.allowCommands)
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
        case .mcp(let server, let tool):
            return evaluateMCP(server: server, tool: tool)
        case .schedule(let what):
            return evaluateSchedule(what)
        case .task(let tools):
            return evaluateTask(tools: tools)
        case .memory(let action, let what):
            return evaluateMemory(action, what)
        }
    }

    /// A memory is loaded into every later session's system prompt, so saving and deleting one
    /// follow `memory_tool`; listing shows only what the prompt already holds and is refused only
    /// when the tool is off.
    private func evaluateMemory(_ action: MemoryAction, _ what: String) -> Decision {
        var trace = DecisionTrace()
        switch (policy.memoryTool, action) {
        case (.deny, _):
            return trace.deny(
                "memory_tool",
                "the memory tool is off in this policy (memory_tool = \"deny\"); the user can edit the memory files or use /memory")
        case (_, .list):
            trace.pass("memory_tool", "listing shows the names of memories the system prompt already holds")
            return trace.allow(what)
        case (.ask, _):
            return trace.ask(
                "memory_tool",
                "\(what) changes what every later session starts with: it runs only when a person approves it")
        case (.allow, _):
            trace.pass("memory_tool", "memory_tool = \"allow\"")
            return trace.allow(what)
        }
    }

    /// MCP tools are judged by name only: what one does lies in its server, which runs in a
    /// sandbox of its own (docs/mcp.md), so the profile says which names may run at all.
    private func evaluateMCP(server: String, tool: String) -> Decision {
        var trace = DecisionTrace()
        let name = "\(server)/\(tool)"
        let (verdict, pattern, list) = policy.mcp.judge(server: server, tool: tool)
        let because = pattern.map { "'\(name)' matches the \(list) entry '\($0)'" }
            ?? "no [mcp] pattern names '\(name)', so mcp.default (\(policy.mcp.defaultVerdict.rawValue)) applies"
        switch verdict {
        case .deny:
            return trace.deny(list, because + (pattern == nil ? "; add it to [mcp] allow in a policy profile, or pass --allow-mcp-tool '\(name)'" : ""))
        case .ask:
            return trace.ask(list, because + ": it runs only when a person approves it")
        case .allow:
            trace.pass(list, because)
            return trace.allow("the MCP tool '\(name)' may run")
        }
    }

    /// Scheduled work runs later with nobody typing it, so the model never adds it alone: the
    /// rule is ask (a person confirms) or deny; there is no allow.
    private func evaluateSchedule(_ what: String) -> Decision {
        var trace = DecisionTrace()
        switch policy.scheduleTool {
        case .deny:
            return trace.deny(
                "schedule_tool",
                "the schedule tool is off in this policy (schedule_tool = \"deny\"); ask the user to add it with /cron add instead")
        case .ask:
            return trace.ask(
                "schedule_tool",
                "\(what) would run later in this session without a prompt from the user: it is added only when a person confirms it")
        }
    }

    /// A sub-agent runs under this very policy, so delegating read-only tools does nothing the
    /// parent could not; one that may write or run commands acts on its own turns, which nobody
    /// sees before they run, so `allow` still holds it for a person (`ask`).
    private func evaluateTask(tools: [String]) -> Decision {
        var trace = DecisionTrace()
        let list = tools.joined(separator: ", ")
        switch policy.taskTool {
        case .deny:
            return trace.deny(
                "task_tool", "the task tool is off in this policy (task_tool = \"deny\"); do the work in this conversation instead")
        case .ask:
            trace.pass("task_model", modelNote)
            return trace.ask("task_tool", "a sub-agent with \(list) runs only when a person approves it (task_tool = \"ask\")")
        case .allow:
            trace.pass("task_model", modelNote)
            let acting = tools.filter { FileTool(rawValue: $0)?.access != .read }
            if !acting.isEmpty {
                return trace.ask(
                    "task_tool",
                    "a sub-agent with \(acting.joined(separator: ", ")) could change files or run commands on turns nobody sees: it runs only when a person approves it")
            }
            trace.pass("task_tool", "\(list) only read; the sub-agent's calls are judged by this policy")
            return trace.allow("a read-only sub-agent (\(list)) may run under this policy")
        }
    }

    /// Which model a sub-agent answers from, for the trace and `pie policy explain`.
    private var modelNote: String {
        guard let model = policy.taskModel else { return "the sub-agent answers from this agent's own model and fallbacks" }
        let fallbacks = policy.taskFallbackModels
        let then = fallbacks.isEmpty ? "" : ", then \(fallbacks.joined(separator: ", "))"
        return "the sub-agent answers from \(model)\(then) (task_model)"
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
        if tool.access == .write, let entry = policy.ask.path(lexical) ?? policy.ask.path(canonical) {
            return trace.ask(
                "ask_paths",
                "writing '\(canonical)' matches the ask_paths entry '\(entry)': it runs only when a person approves it",
                path: canonical)
        }
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

        var context = Self.shellContext(paths: policy.paths, cwd: canonicalCwd, allowCommands: policy.allowCommands)
        context.ask = policy.ask
        let shell = ShellAnalyzer.evaluate(command, rules: bashRules, context: context)
        trace.checks += shell.trace
        guard shell.allowed else {
            return Decision(verdict: shell.verdict, rule: shell.rule, reason: shell.reason, trace: trace.checks)
        }
        if policy.bashDryRun {
            trace.pass("bash_dry_run", "allowed, but dry-run mode never executes commands")
        }
        return trace.allow("every command in the line is allowed by the '\(bashRules.name)' bash profile")
    }
}

extension PolicyEngine {
    /// What the shell checks know of the paths: where writes go, judged by `paths` lexically
    /// and through symlinks, and what recursive writes may not reach.
    static func shellContext(paths: PathPolicy, cwd: String, allowCommands: [String]) -> ShellContext {
        ShellContext(
            cwd: cwd, extraAllowedCommands: allowCommands, writeRoots: paths.writeRoots,
            writeRefusal: { path in writeRefusal(path, paths: paths) },
            treeRefusal: { path in treeRefusal(path, paths: paths) })
    }

    /// Why a shell command may not write `path` (lexical and normalized): the lexical verdict,
    /// then, when a symlink lies on the way below its write root, the verdict on where the kernel
    /// would land (`cp x hooks/pre-commit` with `hooks -> .git/hooks`), as the file tools judge.
    static func writeRefusal(_ path: String, paths: PathPolicy) -> String? {
        switch paths.classify(path, access: .write) {
        case .denied(let rule, let reason):
            return "which is refused (\(rule)): \(reason)"
        case .allowed(let root):
            guard PathResolver.hasSymlink(path, below: root) else { return nil }
            let canonical = PathResolver.canonicalize(path)
            if case .denied(let rule, let reason) = paths.classify(canonical, access: .write) {
                return "which leads through a symlink to '\(canonical)', refused (\(rule)): \(reason)"
            }
            return nil
        }
    }

    /// Why a recursive write may not change everything below `path`: what the policy knows by
    /// name below it, then a `.git` or protected name that exists directly in it, for the path
    /// and (through a symlink) for where it leads.
    static func treeRefusal(_ path: String, paths: PathPolicy) -> String? {
        var candidates = [path]
        if let root = paths.writeRoots.first(where: { PathNormalizer.isWithin(path, $0) }),
            PathResolver.hasSymlink(path, below: root)
        {
            candidates.append(PathResolver.canonicalize(path))
        }
        for candidate in candidates {
            if let refusal = paths.treeRefusal(candidate) { return refusal }
            if let entry = PathResolver.heldEntry(in: candidate, among: paths.guardedNames) {
                return "which holds '\(entry)', a git directory or protected name that stays read-only"
            }
        }
        return nil
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

    /// Every check allowed the call, but `check` (an ask rule) holds it until a person approves.
    mutating func ask(_ check: String, _ reason: String, path: String? = nil) -> Decision {
        checks.append(PolicyCheck(check: check, outcome: .ask, detail: reason))
        return Decision(verdict: .ask, rule: check, reason: reason, trace: checks, resolvedPath: path)
    }

    func allow(_ reason: String, path: String? = nil) -> Decision {
        Decision(allowed: true, rule: "allowed", reason: reason, trace: checks, resolvedPath: path)
    }
}

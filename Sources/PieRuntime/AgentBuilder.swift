import Glibc
import PieAgent
import PieHooks
import PieLocal
import PiePolicy
import PieSandbox
import PieSystem

/// Assembles agents: the effective policy, the model (with retries and fallbacks), the tools
/// over confined backends with the audit log, the spill directory, the system prompt and the
/// session, from `AgentOptions`. The CLI's one-shot and interactive modes and `pie tool` use it;
/// it prints nothing and never exits: failures are `AgentBuildError`s, warnings go to the
/// caller's `onWarning`.
public struct AgentBuilder: Sendable {
    /// The environment the agent runs with: `HOME` and `PIE_DIR`, API keys, policy variables,
    /// and what commands inherit (scrubbed by the policy).
    public var environment: [String: String]
    public var services: AgentServices

    public init(environment: [String: String], services: AgentServices) {
        self.environment = environment
        self.services = services
    }

    /// A ready agent. `hooks` are the caller's: the builder puts the policy gate and the audit
    /// around the tool hooks (`AgentHooks.guarded`), session recording in front of `onEvent` and
    /// automatic compaction after `transformContext`; the others pass through. `approver` answers
    /// the calls the policy holds for approval (`ask`); the default asks nobody and denies them.
    /// `extraTools` join the coding tools behind the same policy gate and audit (MCP servers'
    /// tools; interactive pie's `schedule`, which only a session with someone to confirm it offers).
    /// With `options.tasks` the agent also has `task`: sub-agents under this agent's policy, their
    /// tools coding tools only (never `task`, MCP or `schedule`), supervised by `AssembledAgent.tasks`.
    /// The lifecycle hooks of `hooks.toml` (docs/hooks.md) join in: `pre_tool` inside the gate,
    /// the others observing the event stream; a project file that is not trusted is skipped with
    /// a warning or, with `options.untrustedProjectHooks == .fail`, refused.
    public func build(
        _ options: AgentOptions, hooks: AgentHooks = AgentHooks(),
        approver: any Approver = NobodyApprover(mode: "this run"), extraTools: [any AgentTool] = [],
        onWarning: (AgentBuildWarning) -> Void = { _ in }
    ) throws(AgentBuildError) -> AssembledAgent {
        // A session file may live anywhere, even in the project: no tool may rewrite the record
        // of the conversation it is part of.
        var statePaths: [StatePath] = []
        if case .file(let file) = options.session {
            let path = PathNormalizer.join(options.cwd, file)
            statePaths.append(StatePath(path: path, what: "session file", source: "--session"))
            statePaths.append(
                StatePath(path: SessionCompanionFiles.cron(of: path), what: "session cron jobs", source: "--session"))
            statePaths.append(
                StatePath(path: SessionCompanionFiles.triggers(of: path), what: "session triggers", source: "--session"))
        }
        let policy = try effectivePolicy(options.policy, cwd: options.cwd, statePaths: statePaths, onWarning: onWarning)
        let project = policy.policy.paths.projectRoot
        guard let pieDirectory = PieDirectory.resolve(environment: environment) else { throw .noStateDirectory }
        Self.createStateDirectory(pieDirectory)

        let model = try ModelAssembly.make(
            options.model, project: project, environment: environment,
            task: options.tasks == nil ? nil : TaskModelChoice(policy), onWarning: onWarning)
        let hookConfiguration = try Self.hooks(directory: pieDirectory, project: project, untrusted: options.untrustedProjectHooks)
        for notice in hookConfiguration.notices { onWarning(.hooks(notice.description)) }
        let recorder = try SessionOpening.recorder(options.session, directory: pieDirectory, cwd: project)
        let session = recorder?.session
        let sessionID = session?.id ?? "no-session-\(getpid())"
        let auditSession = Self.auditSession(tag: options.auditTag, sessionID: sessionID)
        let tasks = options.tasks.map { (limits: $0, supervisor: TaskSupervisor()) }
        let delegate = tasks.map { tasks in
            { (callerGate: @escaping @Sendable (BeforeToolCallContext) async -> ToolGate, log: AuditLog, lifecycle: LifecycleHooks?)
                -> any AgentTool in
                TaskTool(
                    delegation: TaskDelegation(
                        limits: tasks.limits, offered: CodingTools.all.map(\.name),
                        provider: model.task?.provider ?? model.provider, model: model.task?.descriptor ?? model.descriptor,
                        thinking: options.thinking, pieDirectory: pieDirectory, project: project, parentSession: session?.path,
                        auditLog: log, auditSession: auditSession, approver: OneAtATimeApprover(base: approver),
                        callerGate: callerGate, lifecycle: lifecycle,
                        clock: services.clock, supervisor: tasks.supervisor))
            }
        }
        let tools = try guardedTools(
            policy: policy.policy, spillDirectory: options.spillDirectory.map { PathNormalizer.join(project, $0) },
            auditSession: auditSession,
            secrets: model.secrets, prepareWarmSandbox: services.prepareWarmSandbox, hooks: hooks, approver: approver,
            extraTools: extraTools,
            lifecycle: hookConfiguration.hooks.isEmpty
                ? nil
                : (hookConfiguration.hooks, HookSessionInfo(
                    sessionID: sessionID, cwd: project, modelProvider: model.descriptor.provider, modelID: model.descriptor.id,
                    thinkingLevel: options.thinking.rawValue)),
            delegate: delegate)
        let runner = tools.runner
        let systemPrompt = try SystemPrompt.make(
            file: options.systemPromptFile, project: project, pieDirectory: pieDirectory, runner: runner,
            policy: policy.policy, onWarning: onWarning)

        var hooks = tools.hooks
        let onEvent = hooks.onEvent
        let lifecycle = tools.lifecycle
        let events: @Sendable (AgentEvent) -> Void = { event in
            recorder?.observe(event)
            onEvent(event)
            lifecycle?.observe(event)
        }
        hooks.onEvent = events
        let compaction = AutoCompaction(
            compactor: Compactor(provider: model.provider, model: model.descriptor), systemPrompt: systemPrompt,
            onEvent: events)
        let transform = hooks.transformContext
        hooks.transformContext = { messages, reason in try await compaction.hook(try await transform(messages, reason), reason) }

        let configuration = AgentConfiguration(
            provider: model.provider, model: model.descriptor, systemPrompt: systemPrompt, tools: runner,
            thinking: options.thinking, hooks: hooks, maxTurns: options.maxTurns,
            turnTimeout: options.turnTimeoutMilliseconds.flatMap { $0 > 0 ? .milliseconds($0) : nil }, clock: services.clock)
        var context: [AgentMessage] = []
        if let session {
            let restored = MessageCodec.restore(from: session.context(), path: session.path)
            context = restored.messages
            for diagnostic in restored.diagnostics { onWarning(.session(diagnostic)) }
        }
        var agent = AssembledAgent(
            configuration: configuration, context: context, recorder: recorder, policy: policy, runner: runner,
            lifecycle: lifecycle, tasks: tasks?.supervisor)
        agent.fallbackModels = model.fallbacks
        return agent
    }

    /// The coding tools alone, exactly as an agent built with these options would run them
    /// (the same hooks: policy gate and audit log; confined backends): what `pie tool` drives
    /// without a model. No warm sandbox is started ahead: a single call would not wait for it.
    public func toolRunner(
        policy selection: PolicySelection, cwd: String, spillDirectory: String? = nil, auditSession: String,
        hooks: AgentHooks = AgentHooks(), approver: any Approver = NobodyApprover(mode: "pie tool"),
        extraTools: [any AgentTool] = [], onWarning: (AgentBuildWarning) -> Void = { _ in }
    ) throws(AgentBuildError) -> GuardedTools {
        let policy = try effectivePolicy(selection, cwd: cwd, statePaths: [], onWarning: onWarning)
        if let pieDirectory = PieDirectory.resolve(environment: environment) { Self.createStateDirectory(pieDirectory) }
        let project = policy.policy.paths.projectRoot
        return try guardedTools(
            policy: policy.policy, spillDirectory: spillDirectory.map { PathNormalizer.join(project, $0) },
            auditSession: auditSession, secrets: [], prepareWarmSandbox: false, hooks: hooks, approver: approver,
            extraTools: extraTools)
    }

    func effectivePolicy(
        _ selection: PolicySelection, cwd: String, statePaths: [StatePath], onWarning: (AgentBuildWarning) -> Void
    ) throws(AgentBuildError) -> EffectivePolicy {
        let policy: EffectivePolicy
        do {
            policy = try selection.effectivePolicy(cwd: cwd, environment: environment, statePaths: statePaths)
        } catch {
            throw .policy(error)
        }
        for warning in policy.warnings + GitMetadataSweep.atStartup(policy.policy.paths) { onWarning(.policy(warning)) }
        return policy
    }

    /// The audit records' session field: the session id, behind the caller's tag when there is one.
    static func auditSession(tag: String?, sessionID: String) -> String {
        tag.map { "\($0):session:\(sessionID)" } ?? sessionID
    }

    /// pie's state directory exists before any tool runs, so the sandbox masks it even inside a
    /// writable root (a mask covers only what exists); an existing one is left as it is. A
    /// failure shows later, where the directory is used.
    private static func createStateDirectory(_ directory: PieDirectory) {
        _ = mkdir(directory.root, 0o700)
    }

    /// The hooks that take effect for `project`: the user's file, and the project's once trusted.
    static func hooks(directory: PieDirectory, project: String, untrusted: UntrustedHooks) throws(AgentBuildError)
        -> HookConfiguration
    {
        do throws(HookLoadError) {
            return try HookFiles.read(stateDirectory: directory.root, project: project).configuration(untrusted: untrusted)
        } catch {
            throw .hooks(error)
        }
    }

    /// The memory tool over this run's state directory and project, with the run's redactor so
    /// what it writes holds no secret the run knows; none without a state directory.
    private func memoryTools(project: String, redactor: SecretRedactor) -> [any AgentTool] {
        guard let pieDirectory = PieDirectory.resolve(environment: environment) else { return [] }
        return [MemoryTool(store: MemoryStore(pieDirectory: pieDirectory, projectRoot: project, redactor: redactor))]
    }

    /// `lifecycle`: the hooks and the session they describe, when any are configured. A
    /// `pre_tool` hook becomes part of the caller's gate, which `AgentHooks.guarded` asks only
    /// for calls the policy allowed or holds for approval, and whose denial stands. `delegate`
    /// makes the `task` tool from the caller's own gate, the audit log and the hooks, so a
    /// sub-agent's calls pass the same gate and `pre_tool` hooks (`LifecycleHooks.delegated`:
    /// payloads marked with the parent call), its events reach the same observers and its calls
    /// land in the same log.
    private func guardedTools(
        policy: ToolPolicy, spillDirectory: String?, auditSession: String, secrets: [String], prepareWarmSandbox: Bool,
        hooks: AgentHooks, approver: any Approver, extraTools: [any AgentTool] = [],
        lifecycle hookSetup: ([Hook], HookSessionInfo)? = nil,
        delegate: (
            (_ callerGate: @escaping @Sendable (BeforeToolCallContext) async -> ToolGate, _ log: AuditLog, _ lifecycle: LifecycleHooks?)
                -> any AgentTool
        )? = nil
    ) throws(AgentBuildError) -> GuardedTools {
        let project = policy.paths.projectRoot
        let spill = spillDirectory ?? SpillDirectory.defaultPath(project: project)
        try SpillDirectory.prepare(spill)
        let auditPath = policy.auditLog ?? AuditLog.defaultPath(environment: environment)
        let redactor = SecretRedactor(environment: environment, extraSecrets: secrets)
        let shell = services.makeShell(policy, environment)
        if prepareWarmSandbox {
            // The model takes seconds to answer; the sandbox its first command will use is built meanwhile.
            Task(priority: .background) { await shell.prepareWarmSandbox() }
        }
        let log = AuditLog(path: auditPath, redactor: redactor)
        var hooks = hooks
        let callerGate = hooks.beforeToolCall
        var lifecycle: LifecycleHooks?
        if let (configured, session) = hookSetup {
            let made = LifecycleHooks(
                hooks: configured,
                runner: HookRunner(
                    shell: shell, projectRoot: project, environment: environment, redactor: redactor,
                    audit: (log, auditSession)),
                session: session, onWarning: services.hookWarnings)
            if made.wants(.preTool) {
                let own = hooks.beforeToolCall
                hooks.beforeToolCall = { context in
                    let answer = await own(context)
                    guard answer.allowed else { return answer }
                    return await made.gate(context)
                }
            }
            lifecycle = made
        }
        let task = delegate.map { $0(callerGate, log, lifecycle) }
        let runner = ToolRunner.standard(
            policy: policy,
            files: ConfinedFileOperations(paths: policy.paths, enforceRegularFiles: policy.enforceRegularFiles),
            shell: shell, cwd: project, spillDirectory: spill,
            tools: CodingTools.all + memoryTools(project: project, redactor: redactor) + extraTools + (task.map { [$0] } ?? []))
        do {
            let guarded = try hooks.guarded(by: policy, audit: (log, auditSession), approver: approver)
            return GuardedTools(runner: runner, hooks: guarded, lifecycle: lifecycle)
        } catch {
            throw .policy(error)
        }
    }
}

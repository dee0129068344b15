import Glibc
import PieAgent
import PieLocal
import PiePolicy
import PieSandbox

/// One conversation, assembled from the command line: the effective policy, the model (with
/// retries and fallbacks), the tools over confined backends, the system prompt and the session.
/// The CLI's one-shot and interactive modes both drive it.
struct AgentHost {
    var configuration: AgentConfiguration
    var context: [AgentMessage]
    let recorder: SessionRecorder?
    let policy: EffectivePolicy
    let runner: ToolRunner

    /// Fails with exit code 2 for bad input (flags, files) and names what to fix.
    static func make(
        policyOptions: PolicyOptions, modelOptions: ModelOptions, runOptions: RunOptions, sessionOptions: SessionOptions,
        cwd: String, environment: [String: String], onEvent: @escaping @Sendable (AgentEvent) -> Void
    ) throws(PieExit) -> AgentHost {
        let policy: EffectivePolicy
        do {
            // A session file named with --session may live anywhere, even in the project: no tool
            // may rewrite the record of the conversation it is part of.
            let session = sessionOptions.session.map {
                StatePath(path: PathNormalizer.join(cwd, $0), what: "session file", source: "--session")
            }
            policy = try policyOptions.effectivePolicy(
                cwd: cwd, environment: environment, statePaths: session.map { [$0] } ?? [])
        } catch {
            throw PieExit.usage(error.message)
        }
        for warning in policy.warnings + GitMetadataSweep.atStartup(policy.policy.paths) {
            printError("pie: warning: \(warning)")
        }
        let project = policy.policy.paths.projectRoot
        guard let pieDirectory = PieDirectory.resolve(environment: environment) else {
            throw PieExit.usage("cannot find pie's state directory: set HOME or PIE_DIR")
        }
        // It exists before any tool runs, so the sandbox masks it even inside a writable root
        // (a mask covers only what exists); an existing one is left as it is.
        _ = mkdir(pieDirectory.root, 0o700)

        let thinking = try ModelSetup.thinkingLevel(modelOptions.thinking)
        let model = try ModelSetup.make(modelOptions, project: project, environment: environment)
        let recorder = try SessionSetup.open(sessionOptions, directory: pieDirectory, cwd: project)
        let session = recorder?.session

        let spill: String
        do {
            spill = try SpillDirectory.prepare(project: project)
        } catch {
            throw PieExit.usage(error.message ?? "cannot prepare the spill directory")
        }
        let auditPath = policy.policy.auditLog ?? AuditLog.defaultPath(environment: environment)
        let redactor = SecretRedactor(environment: environment, extraSecrets: model.secrets)
        let shell = SandboxedShell(policy: policy.policy, environment: environment)
        // The model takes seconds to answer; the sandbox its first command will use is built meanwhile.
        Task(priority: .background) { await shell.prepareWarmSandbox() }
        let runner: ToolRunner
        do {
            runner = try ToolRunner.standard(
                policy: policy.policy,
                files: ConfinedFileOperations(paths: policy.policy.paths, enforceRegularFiles: policy.policy.enforceRegularFiles),
                shell: shell,
                cwd: project, spillDirectory: spill,
                audit: (AuditLog(path: auditPath, redactor: redactor), session?.id ?? "no-session-\(getpid())"))
        } catch {
            throw PieExit.usage(error.message)
        }

        let systemPrompt = try SystemPrompt.make(
            file: runOptions.systemPromptFile, project: project, pieDirectory: pieDirectory, runner: runner,
            policy: policy.policy)
        let events: @Sendable (AgentEvent) -> Void = { event in
            recorder?.observe(event)
            onEvent(event)
        }
        let compaction = AutoCompaction(
            compactor: Compactor(provider: model.provider, model: model.descriptor), systemPrompt: systemPrompt,
            onEvent: events)
        let configuration = AgentConfiguration(
            provider: model.provider, model: model.descriptor, systemPrompt: systemPrompt, tools: runner.toolSpecs,
            toolExecutor: runner, thinking: thinking,
            hooks: AgentHooks(transformContext: compaction.hook, onEvent: events),
            maxTurns: runOptions.maxTurns,
            turnTimeout: runOptions.turnTimeoutMs.flatMap { $0 > 0 ? .milliseconds($0) : nil })
        let context = session.map { MessageCodec.messages(from: $0.context()) } ?? []
        return AgentHost(configuration: configuration, context: context, recorder: recorder, policy: policy, runner: runner)
    }

    /// Runs one prompt to the end and keeps the resulting context for the next one.
    mutating func send(_ prompt: String) async -> AgentRunResult {
        let result = await AgentLoop(configuration: configuration).run(prompts: [.user(prompt)], context: context)
        context = result.context
        for diagnostic in recorder?.takeDiagnostics() ?? [] { printError("pie: warning: \(diagnostic)") }
        return result
    }
}

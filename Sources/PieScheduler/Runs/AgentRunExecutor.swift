import PieAgent
import PieAutomations
import PieHooks
import PieLocal
import PieMCP
import PiePolicy
import PieRuntime

/// Runs an automation as a normal pie session, assembled by `AgentBuilder` exactly as the CLI
/// assembles one: the automation's model and fallbacks, its policy (preset, default `hardened`, or
/// profile; the policy variables of the serving process's environment are removed so a run is
/// never looser than its file says), its own session file (`pie --resume-id` opens it), the
/// budget, and audit records tagged `automation:<id>:run:<n>`. The run never approves itself: a
/// call the policy holds (`ask`) parks the run as `needs_approval` until a person answers with
/// `pie automations approve|deny` or `approval_timeout` passes (`StoreApprover`).
public struct AgentRunExecutor: RunExecutor {
    public var builder: AgentBuilder
    /// The project a user automation runs in (serve's working directory); a project automation
    /// runs in the project its file belongs to.
    public var defaultProject: String
    /// Where `session = "continue"` keeps the session it resumes, and where parked calls wait.
    public var store: any AutomationStore
    public var payloadLimit = UntrustedData.defaultLimit
    /// The clock `approval_timeout` is measured on (serve's clock).
    public var clock: any SchedulerClock = SystemClock()
    /// How often a parked run reads the store for its answer.
    public var approvalPollInterval: Duration = .seconds(1)
    /// Told when a run parks on a call (serve logs `needs_approval`).
    public var onApproval: @Sendable (RunRecord, PendingApproval) -> Void = { _, _ in }

    public init(builder: AgentBuilder, defaultProject: String, store: any AutomationStore) {
        var builder = builder
        builder.environment = Self.withoutPolicyVariables(builder.environment)
        self.builder = builder
        self.defaultProject = defaultProject
        self.store = store
    }

    public func execute(_ run: RunRecord, of automation: Automation) async -> RunOutcome {
        let session = continuedSession(automation)
        var options = Self.options(for: automation, run: run, project: project(of: automation), session: session)
        // The executor counts `timeout` itself, paused while the run waits for an approval.
        let timeout = RunTimeout(limit: .milliseconds(options.turnTimeoutMilliseconds ?? 0))
        options.turnTimeoutMilliseconds = nil
        let notify = onApproval
        let hooks = RunHooks(run: run)
        let approver = StoreApprover(
            store: store, run: run.id, timeout: automation.run.approvalTimeout, clock: clock,
            pollInterval: approvalPollInterval,
            notify: { approval in
                notify(run, approval)
                hooks.approvalNeeded(approval)
            }, runTimeout: timeout)
        // The run's MCP servers; a project mcp.toml nobody trusted fails the run (nobody is
        // here to trust it, and without its servers the run would do something else).
        let toolbox: MCPToolbox
        do {
            toolbox = try await MCPSetup.start(
                projectRoot: options.cwd, environment: builder.environment, sandbox: builder.services.sandbox,
                untrusted: .fail)
        } catch {
            return RunOutcome(state: .failed, reason: "the run could not start: \(error.message)")
        }
        var agent: AssembledAgent
        do {
            agent = try build(options, approver: approver, extraTools: toolbox.tools)
        } catch {
            await toolbox.close()
            return RunOutcome(state: .failed, reason: "the run could not start: \(error.description)")
        }
        agent.configuration.hooks.refreshTools = toolbox.toolRefresher { _ in }
        hooks.attach(agent.lifecycle)
        hooks.started()
        let budget = RunBudget(
            maxTokens: automation.run.maxTokens, maxCost: automation.run.maxCost, pricing: agent.configuration.model.cost)
        agent.configuration.hooks.shouldStop = { summary in budget.record(summary.message.usage) }
        // What sub-agents spend counts against the run's budget, and spending it stops them all.
        agent.tasks?.limitUsage { usage in budget.record(usage) ? budget.exceeded ?? "the run's budget is spent" : nil }
        let prompt = UntrustedData.prompt(
            instructions: automation.prompt, payload: run.payload, source: run.trigger.rawValue, limit: payloadLimit)
        let working = agent
        var (result, timedOut) = await timeout.run { () -> AgentRunResult in
            var agent = working
            return await agent.send(prompt)
        }
        if timedOut, result.outcome == .aborted { result.outcome = .timedOut }
        let recorded = agent.recorder?.session
        if automation.run.session == .continue, let id = recorded?.id, id != session {
            // Losing this only means the next run starts a new session.
            do { try store.setSessionID(id, file: automation.path) } catch {}
        }
        var outcome = Self.outcome(result, budget: budget, settings: automation.run)
        outcome.tokens = result.usage.input + result.usage.output
        outcome.cost = Cost(usage: result.usage, pricing: agent.configuration.model.cost).total
        outcome.sessionID = recorded?.id
        outcome.sessionPath = recorded?.path
        hooks.ended(outcome)
        await hooks.drain()
        await toolbox.close()
        return outcome
    }

    /// The agent for `options`; a continued session that can no longer be opened (deleted,
    /// moved) gives way to a new one rather than failing every run from now on.
    private func build(
        _ options: AgentOptions, approver: StoreApprover, extraTools: [any AgentTool]
    ) throws(AgentBuildError) -> AssembledAgent {
        do {
            return try builder.build(options, approver: approver, extraTools: extraTools)
        } catch {
            guard case .session = error, case .id = options.session else { throw error }
            var fresh = options
            fresh.session = .new
            return try builder.build(fresh, approver: approver, extraTools: extraTools)
        }
    }

    static func options(for automation: Automation, run: RunRecord, project: String, session: String?) -> AgentOptions {
        let model = ModelSelection(
            model: automation.model.description, fallbacks: automation.fallbackModels.map(\.description), retryJitter: true)
        let policy = PolicySelection(preset: automation.toolPolicyPreset, profile: automation.toolPolicyProfile)
        return AgentOptions(
            cwd: project, model: model, policy: policy, session: session.map(SessionSelection.id) ?? .new,
            maxTurns: automation.run.maxTurns, turnTimeoutMilliseconds: Int(automation.run.timeout.seconds) * 1000,
            auditTag: "automation:\(automation.id):run:\(run.id)", untrustedProjectHooks: .fail, tasks: TaskLimits())
    }

    static func outcome(_ result: AgentRunResult, budget: RunBudget, settings: RunSettings) -> RunOutcome {
        let final = result.newMessages.reversed().lazy.compactMap { message -> String? in
            guard case .assistant(let reply) = message, !reply.text.isEmpty else { return nil }
            return reply.text
        }.first
        switch result.outcome {
        case .completed:
            return RunOutcome(state: .succeeded, finalMessage: final)
        case .stoppedByHook:
            return RunOutcome(state: .failed, reason: budget.exceeded ?? "stopped", finalMessage: final)
        case .maxTurnsReached(let turns):
            return RunOutcome(
                state: .failed, reason: "max_turns \(turns) reached and the model wanted more", finalMessage: final)
        case .timedOut:
            return RunOutcome(state: .timedOut, reason: "timeout \(settings.timeout) elapsed", finalMessage: final)
        case .aborted:
            return RunOutcome(state: .interrupted, reason: "stopped before it finished", finalMessage: final, retryable: true)
        case .failed(let message):
            return RunOutcome(state: .failed, reason: "the model call failed: \(message)", finalMessage: final, retryable: true)
        }
    }

    /// The session a `session = "continue"` automation resumes; nil for a new one.
    private func continuedSession(_ automation: Automation) -> String? {
        guard automation.run.session == .continue else { return nil }
        do { return try store.automationState(file: automation.path)?.sessionID } catch { return nil }
    }

    func project(of automation: Automation) -> String {
        Self.project(of: automation, defaultProject: defaultProject)
    }

    /// The project a run works in: `<project>` of `<project>/.pie/automations/<id>.toml`, else
    /// `defaultProject`.
    public static func project(of automation: Automation, defaultProject: String) -> String {
        let suffix = "/.pie/automations/\(automation.id.rawValue).toml"
        guard automation.scope == .project, automation.path.hasSuffix(suffix) else { return defaultProject }
        let root = String(automation.path.dropLast(suffix.count))
        return root.isEmpty ? "/" : root
    }

    /// The process environment without the variables that select or override a tool policy.
    static func withoutPolicyVariables(_ environment: [String: String]) -> [String: String] {
        let names = Set(PolicyField.allCases.compactMap(\.environmentVariable))
            .union([PolicyBuilder.presetVariable, PolicyBuilder.profileVariable])
        return environment.filter { !names.contains($0.key) }
    }
}

import PieAgent
import PieAutomations
import PieRuntime
import PieSandbox
import PieScheduler
import PieTriggers
import PieWebhooks

/// What one `serve` process runs with, resolved from its flags and environment.
public struct ServeSettings: Sendable {
    public var listen: ListenAddress
    public var grace: Duration
    public var clock: any SchedulerClock
    /// The automation directories (project, then user) and what their files are checked against.
    public var directories: [(AutomationScope, String)]
    public var context: ValidationContext
    /// The environment runs, probes and webhook secrets are read from.
    public var environment: [String: String]
    /// The project serve runs in: runs without a project of their own, and probes, run here.
    public var project: String
    /// How often a parked run looks for its answer in the store (the test clock wants it often).
    public var approvalPollInterval: Duration = .seconds(1)
    /// How long a run's lease lasts without a heartbeat: how soon another worker takes over the
    /// runs of a worker that died or lost the store.
    public var leaseSeconds: Int64 = 300

    public init(
        listen: ListenAddress, grace: Duration, clock: any SchedulerClock, directories: [(AutomationScope, String)],
        context: ValidationContext, environment: [String: String], project: String
    ) {
        (self.listen, self.grace, self.clock, self.directories) = (listen, grace, clock, directories)
        (self.context, self.environment, self.project) = (context, environment, project)
    }
}

/// The daemon assembled: the scheduler's loop over the store with every trigger source (the
/// clock's own cron/at/every, webhooks with /metrics, files and command probes), each run an
/// agent from `builder` under its automation's policy.
public enum ServeDaemon {
    public static func loop(
        _ settings: ServeSettings, store: any AutomationStore, builder: AgentBuilder, sandbox: SandboxServices, log: ServeLog
    ) -> ServeLoop {
        // A failing hook (on_failure = "warn") or hooks falling behind is a serve log line.
        var builder = builder
        builder.services.hookWarnings = { message in log.log(.warning, "hook_warning", message) }
        var executor = AgentRunExecutor(builder: builder, defaultProject: settings.project, store: store)
        executor.clock = settings.clock
        executor.approvalPollInterval = settings.approvalPollInterval
        executor.onApproval = { run, approval in ApprovalNotice.log(approval, of: run, to: log) }
        var configuration = ServeLoop.Configuration(directories: settings.directories, context: settings.context)
        configuration.grace = settings.grace
        configuration.leaseSeconds = settings.leaseSeconds
        let webhooks = WebhookTriggerSource(
            configuration: WebhookListenerConfiguration(address: settings.listen), environment: settings.environment, log: log)
        let local = LocalTriggerSource(
            probes: SandboxProbeRunner(projectRoot: settings.project, environment: settings.environment, services: sandbox),
            home: settings.environment["HOME"], log: log)
        let mcp = MCPTriggerSource(
            environment: settings.environment, defaultProject: settings.project, sandbox: sandbox, log: log)
        return ServeLoop(
            store: store, executor: executor, clock: settings.clock, log: log, configuration: configuration,
            sources: [webhooks, local, mcp])
    }
}

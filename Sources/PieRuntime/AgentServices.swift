import PieAgent
import PiePolicy
import PieSandbox

/// The process-wide services an agent uses, passed in so that the process creates them once and
/// tests or a scheduler can substitute their own.
public struct AgentServices: Sendable {
    /// The shell the bash tool runs commands through, for a policy and the environment commands
    /// start from.
    public var makeShell: @Sendable (ToolPolicy, [String: String]) -> SandboxedShell
    /// Whether a new agent starts its warm sandbox while the model reads the first prompt.
    public var prepareWarmSandbox: Bool
    /// The process's sandbox services, which MCP servers are started under too (`MCPSetup`).
    public var sandbox: SandboxServices
    /// Told when a hook fails (with `on_failure = "warn"`) or hooks fall behind, while the agent
    /// runs; every run is in the audit log whatever this does.
    public var hookWarnings: @Sendable (String) -> Void
    /// The clock the agent's turn timeout and its `task` sub-agents' time budgets are measured on.
    public var clock: any AgentClock

    public init(
        makeShell: @escaping @Sendable (ToolPolicy, [String: String]) -> SandboxedShell,
        prepareWarmSandbox: Bool = true, sandbox: SandboxServices = SandboxServices(warm: nil),
        hookWarnings: @escaping @Sendable (String) -> Void = { _ in }, clock: any AgentClock = ContinuousAgentClock()
    ) {
        self.makeShell = makeShell
        self.prepareWarmSandbox = prepareWarmSandbox
        self.sandbox = sandbox
        self.hookWarnings = hookWarnings
        self.clock = clock
    }

    /// What the `pie` executable passes: `SandboxedShell` over the process's sandbox services (its
    /// warm-sandbox pool, bubblewrap probe, placeholder registry and seccomp programs).
    public static func standard(
        sandbox: SandboxServices, hookWarnings: @escaping @Sendable (String) -> Void = { _ in }
    ) -> AgentServices {
        AgentServices(
            makeShell: { policy, environment in
                SandboxedShell(policy: policy, environment: environment, services: sandbox)
            }, sandbox: sandbox, hookWarnings: hookWarnings)
    }
}

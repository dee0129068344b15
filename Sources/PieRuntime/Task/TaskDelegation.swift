import PieAgent
import PieHooks
import PieLocal
import PieSandbox

/// What the builder hands the `task` tool so a sub-agent starts like its parent: the same model
/// and fallbacks (one provider value) unless the policy names its own (`task_model`), the same approver and caller gate (`pre_tool` hooks
/// included), the same audit log and session directory. The policy is not here: a sub-agent
/// runs under the parent's runner's own `ToolPolicy`, which the tool receives with every call.
struct TaskDelegation: Sendable {
    var limits: TaskLimits
    /// The coding tools the parent has, in its order: the most a sub-agent can be given.
    var offered: [String]
    var provider: any Provider
    var model: ModelDescriptor
    var thinking: ThinkingLevel
    var pieDirectory: PieDirectory
    var project: String
    /// The parent's session file; nil when it keeps none, and then neither does the sub-agent.
    var parentSession: String?
    var auditLog: AuditLog
    /// The parent's audit session: a sub-agent's records carry it and the `task` call's id.
    var auditSession: String
    /// The parent's approver, one question at a time (`OneAtATimeApprover`): sub-agents running
    /// side by side share the person it asks.
    var approver: any Approver
    /// The caller's own `beforeToolCall`, asked after the policy as for the parent's calls, and
    /// then the `pre_tool` hooks.
    var callerGate: @Sendable (BeforeToolCallContext) async -> ToolGate
    /// The parent's lifecycle hooks; a sub-agent's are these, marked with its `task` call
    /// (`LifecycleHooks.delegated`). Nil when none are configured.
    var lifecycle: LifecycleHooks?
    var clock: any AgentClock
    var supervisor: TaskSupervisor
    /// Sub-agents that may change files or run commands take turns here, as the parent's own
    /// writes and commands run alone; read-only ones run beside them.
    var acting = Turnstile()
}

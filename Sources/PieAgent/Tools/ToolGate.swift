import PieLocal
import PiePolicy
import PieSandbox

/// The answer of `beforeToolCall`, as pi's `{ block, reason }`, with the policy decision behind
/// it so the audit log records the rule that decided.
public struct ToolGate: Sendable, Equatable {
    /// The decision recorded for the call (for a hook's own block, rule `hook.block`).
    public var decision: Decision
    /// The error text a blocked call returns to the model; nil when the call may run.
    public var blockMessage: String?

    public init(decision: Decision, blockMessage: String?) {
        self.decision = decision
        self.blockMessage = blockMessage
    }

    public var allowed: Bool { blockMessage == nil }

    /// Lets the call run; what the loop does when no gate is installed.
    public static let allow = ToolGate(
        decision: Decision(allowed: true, rule: "allowed", reason: "no policy gate installed", trace: []),
        blockMessage: nil)

    /// Blocks the call; the model gets `reason` verbatim as an error result.
    public static func block(reason: String) -> ToolGate {
        ToolGate(decision: Decision(allowed: false, rule: "hook.block", reason: reason, trace: []), blockMessage: reason)
    }

    /// The policy's answer; a denial reads `Denied by policy (rule …): …`. An ask is blocked
    /// until `answered(_:)` says a person approved it.
    public static func policy(_ decision: Decision) -> ToolGate {
        ToolGate(
            decision: decision,
            blockMessage: decision.allowed ? nil : "Denied by policy (rule \(decision.rule)): \(decision.reason)")
    }

    /// Whether the policy holds this call until a person approves it.
    public var awaitsApproval: Bool { decision.verdict == .ask && blockMessage != nil }

    /// The gate once the approver answered: an approved call runs (its decision keeps the ask
    /// rule); a refused one returns the denial and who refused to the model.
    public func answered(_ answer: ApprovalAnswer) -> ToolGate {
        guard awaitsApproval else { return self }
        if answer.approved { return ToolGate(decision: decision, blockMessage: nil) }
        return ToolGate(
            decision: decision,
            blockMessage: "Denied by policy (rule \(decision.rule)): \(decision.reason); not approved: \(answer.note)")
    }

    /// The approval request for this gate's call.
    func approvalRequest(_ context: BeforeToolCallContext) -> ApprovalRequest {
        ApprovalRequest(
            callID: context.call.id, tool: context.call.name, arguments: context.argumentText, rule: decision.rule,
            reason: decision.reason)
    }

    /// How the audit log spells this answer in the `decision` record.
    var auditDecision: AuditDecision {
        if awaitsApproval { return .ask }
        return allowed ? .allow : .deny
    }

    /// A gate over a policy engine: every request judged with the call's cwd.
    public static func policyGate(_ engine: PolicyEngine) -> @Sendable (BeforeToolCallContext) async -> ToolGate {
        { context in .policy(engine.evaluate(context.request, cwd: context.cwd)) }
    }
}

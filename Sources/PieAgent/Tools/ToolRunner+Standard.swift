import PiePolicy
import PieSandbox

extension ToolRunner {
    /// The coding tools over the given backends: what the agent loop and `pie tool` run. The
    /// policy gate and the audit are hooks (`AgentHooks.guarded`), not part of the runner.
    public static func standard(
        policy: ToolPolicy, files: any FileOperations, shell: any ShellOperations, cwd: String,
        spillDirectory: String, tools: [any AgentTool] = CodingTools.all
    ) -> ToolRunner {
        ToolRunner(
            tools: tools,
            context: ToolContext(cwd: cwd, files: files, shell: shell, policy: policy, spillDirectory: spillDirectory))
    }
}

extension AgentHooks {
    /// These hooks behind the policy gate over `PolicyEngine(policy:)` and, when an audit log is
    /// given, audited with secrets redacted from results. The policy answers first; only a call
    /// it allows (or holds for approval) is put to this value's own `beforeToolCall`; a call
    /// held for approval is then put to `approver`, after the audit recorded the ask. The audit
    /// records whichever answer stands. This value's `afterToolCall` sees the redacted,
    /// recorded result. `parentCall`: the `task` call a sub-agent's calls are audited under.
    public func guarded(
        by policy: ToolPolicy, audit: (log: AuditLog, session: String)? = nil,
        approver: any Approver = NobodyApprover(mode: "this run"), parentCall: String? = nil
    ) throws(PolicyError) -> AgentHooks {
        let policyGate = ToolGate.policyGate(try PolicyEngine(policy: policy))
        let own = beforeToolCall
        let gate: @Sendable (BeforeToolCallContext) async -> ToolGate = { context in
            let policy = await policyGate(context)
            guard policy.allowed || policy.awaitsApproval else { return policy }
            let hook = await own(context)
            return hook.allowed ? policy : hook
        }
        guard let audit else {
            var hooks = self
            hooks.beforeToolCall = { context in
                let answer = await gate(context)
                guard answer.awaitsApproval else { return answer }
                return answer.answered(await approver.approve(answer.approvalRequest(context)))
            }
            return hooks
        }
        return ToolAudit.hooks(
            gate: gate, log: audit.log, session: audit.session, approver: approver, over: self, parentCall: parentCall)
    }
}

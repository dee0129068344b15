import PiePolicy
import PieSandbox

extension ToolHooks {
    /// The policy gate over the lead's `PolicyEngine`: every request is judged with the call's cwd.
    public static func policyGate(engine: PolicyEngine) -> @Sendable (ToolCallInfo) async -> Decision {
        { info in engine.evaluate(info.request, cwd: info.cwd) }
    }
}

extension ToolRunner {
    /// The coding tools over the given backends, gated by `PolicyEngine(policy:)` and, when an
    /// audit log is given, audited with secrets redacted from results. This is what the agent
    /// loop and `pie tool` build; tests inject other hooks through `init`.
    public static func standard(
        policy: ToolPolicy, files: any FileOperations, shell: any ShellOperations, cwd: String,
        spillDirectory: String, tools: [any AgentTool] = CodingTools.all,
        audit: (log: AuditLog, session: String)? = nil
    ) throws(PolicyError) -> ToolRunner {
        let gate = ToolHooks.policyGate(engine: try PolicyEngine(policy: policy))
        let hooks =
            audit.map { ToolAudit.hooks(gate: gate, log: $0.log, session: $0.session) } ?? ToolHooks(beforeToolCall: gate)
        let context = ToolContext(cwd: cwd, files: files, shell: shell, policy: policy, spillDirectory: spillDirectory)
        return ToolRunner(tools: tools, context: context, hooks: hooks)
    }
}

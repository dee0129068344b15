import PieLocal
import PiePolicy
import PieSandbox
import PieSystem

/// The audit as the loop's tool hooks: every tool call recorded in pie's hash-chained audit log,
/// secrets redacted from what the model sees.
///
/// A decision record is written after the gate answers and before anything runs; if it cannot
/// be written the call is denied (rule `audit.write_failed`), so nothing runs unaudited. A
/// completion record follows every call, including unknown tools, invalid arguments and denials.
public enum ToolAudit {
    /// `hooks` with `gate`, audited, as `beforeToolCall`, and an `afterToolCall` that redacts and
    /// records each result before `hooks`' own `afterToolCall` sees it. `parentCall` is the `task`
    /// call whose sub-agent these hooks serve; every record carries it.
    public static func hooks(
        gate: @escaping @Sendable (BeforeToolCallContext) async -> ToolGate, log: AuditLog, session: String,
        redactResults: Bool = true, approver: any Approver = NobodyApprover(mode: "this run"),
        over hooks: AgentHooks = AgentHooks(), parentCall: String? = nil
    ) -> AgentHooks {
        var hooks = hooks
        let after = hooks.afterToolCall
        hooks.beforeToolCall = { context in
            var gate = await gate(context)
            let decision = gate.decision
            func record(_ event: AuditRecord.Event, _ answer: AuditDecision, reason: String, by: ApprovalSource?) -> ToolGate? {
                let record = AuditRecord(
                    event: event, session: session, callID: context.call.id, tool: context.call.name,
                    arguments: context.argumentText, decision: answer, rule: decision.rule, reason: reason,
                    approver: by, requestedPath: context.arguments.string("path"),
                    resolvedPath: resolvedPath(context.request), mcp: mcpTarget(context.request), parentCall: parentCall)
                do throws(AuditError) {
                    try log.append(record)
                    return nil
                } catch {
                    return .policy(
                        Decision(
                            allowed: false, rule: "audit.write_failed",
                            reason: "the audit log could not be written (\(error.message)); nothing runs unaudited",
                            trace: decision.trace))
                }
            }
            if let failed = record(.decision, gate.auditDecision, reason: decision.reason, by: nil) { return failed }
            guard gate.awaitsApproval else { return gate }
            // The question goes where the log's redaction does not reach (a terminal, serve's log
            // lines, the automation store), so it is redacted as the log is.
            var question = gate.approvalRequest(context)
            question.arguments = log.redactor.redact(question.arguments)
            question.reason = log.redactor.redact(question.reason)
            let answer = await approver.approve(question)
            gate = gate.answered(answer)
            if let failed = record(.approval, answer.approved ? .allow : .deny, reason: answer.note, by: answer.source) {
                return failed
            }
            return gate
        }
        hooks.afterToolCall = { context, result in
            var result = result
            if redactResults { result = redact(result, with: log.redactor) }
            let outcome = shellOutcome(result)
            let record = AuditRecord(
                event: .completion, session: session, callID: context.call.id, tool: context.call.name,
                arguments: context.argumentText, decision: context.gate?.allowed == true ? .allow : .deny,
                rule: rule(context), reason: reason(context, result),
                resolvedPath: context.request.flatMap(resolvedPath),
                sandbox: outcome?.sandbox, warnings: outcome?.warnings ?? [],
                exitCode: outcome?.exitCode.map(Int.init), timedOut: outcome?.timedOut == true ? true : nil,
                durationMs: context.durationMs, bytesIn: context.argumentText.utf8.count, bytesOut: result.byteCount,
                output: result.text, mcp: context.request.flatMap(mcpTarget), parentCall: parentCall,
                quarantined: outcome?.quarantined ?? [])
            do throws(AuditError) {
                try log.append(record)
            } catch {
                result.auditError = error.message
            }
            return await after(context, result)
        }
        return hooks
    }

    /// The result with every text block passed through the redactor.
    static func redact(_ result: ToolResult, with redactor: SecretRedactor) -> ToolResult {
        guard !redactor.isEmpty else { return result }
        var redacted = result
        redacted.content = result.content.map { block in
            if case .text(let text) = block { return .text(redactor.redact(text)) }
            return block
        }
        return redacted
    }

    private static func rule(_ context: AfterToolCallContext) -> String {
        switch context.stage {
        case .unknownTool: "tool.unknown"
        case .invalidArguments: "arguments.invalid"
        case .denied, .cancelled, .completed: context.gate?.decision.rule ?? "allowed"
        }
    }

    /// Why a call failed, short enough for a log field: the policy's reason for a denial, the
    /// last line of anything else (for bash, `Command exited with code N` and the like).
    private static func reason(_ context: AfterToolCallContext, _ result: ToolResult) -> String? {
        guard result.isError else { return nil }
        if context.stage == .denied, let gate = context.gate { return gate.decision.reason }
        let last = Truncation.lines(result.text).last(where: { !$0.isEmpty }) ?? ""
        return Truncation.truncateLine(last, maxLength: 300).text
    }

    private static func mcpTarget(_ request: ToolRequest) -> AuditMCPTarget? {
        if case .mcp(let server, let tool) = request { return AuditMCPTarget(server: server, tool: tool) }
        return nil
    }

    private static func resolvedPath(_ request: ToolRequest) -> String? {
        if case .file(_, let path) = request { return path }
        return nil
    }

    /// How a shell command ended, as the bash tool returned it.
    private static func shellOutcome(_ result: ToolResult) -> ShellOutcome? {
        if case .bash(let bash)? = result.details { return bash.outcome }
        return nil
    }
}

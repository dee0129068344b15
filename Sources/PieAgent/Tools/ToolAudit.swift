import PiePolicy
import PieSandbox
import PieSystem

/// Hooks that record every tool call in pie's hash-chained audit log and redact secrets from
/// what the model sees.
///
/// A decision record is written after the policy answers and before anything runs; if it cannot
/// be written the call is denied (rule `audit.write_failed`), so nothing runs unaudited. A
/// completion record follows every call, including unknown tools and invalid arguments.
public enum ToolAudit {
    public static func hooks(
        gate: @escaping @Sendable (ToolCallInfo) async -> Decision, log: AuditLog, session: String,
        redactResults: Bool = true
    ) -> ToolHooks {
        ToolHooks(
            beforeToolCall: { info in
                let decision = await gate(info)
                let record = AuditRecord(
                    event: .decision, session: session, callID: info.callID, tool: info.tool,
                    arguments: info.rawArguments, decision: decision.allowed ? .allow : .deny, rule: decision.rule,
                    reason: decision.reason, requestedPath: info.arguments.string("path"),
                    resolvedPath: resolvedPath(info.request))
                do throws(AuditError) {
                    try log.append(record)
                } catch {
                    return Decision(
                        allowed: false, rule: "audit.write_failed",
                        reason: "the audit log could not be written (\(error.message)); nothing runs unaudited",
                        trace: decision.trace)
                }
                return decision
            },
            afterToolCall: { report in
                var result = report.result
                if redactResults { result = redact(result, with: log.redactor) }
                let outcome = shellOutcome(result)
                let record = AuditRecord(
                    event: .completion, session: session, callID: report.callID, tool: report.tool,
                    arguments: report.rawArguments, decision: report.decision?.allowed == true ? .allow : .deny,
                    rule: rule(report), reason: reason(report, result),
                    resolvedPath: report.request.flatMap(resolvedPath),
                    sandbox: outcome?.sandbox, warnings: outcome?.warnings ?? [],
                    exitCode: outcome?.exitCode.map(Int.init), timedOut: outcome?.timedOut == true ? true : nil,
                    durationMs: report.durationMs, bytesIn: report.bytesIn, bytesOut: result.byteCount,
                    output: result.text)
                do throws(AuditError) {
                    try log.append(record)
                } catch {
                    result.auditError = error.message
                }
                return result
            })
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

    private static func rule(_ report: ToolCallReport) -> String {
        switch report.stage {
        case .unknownTool: "tool.unknown"
        case .invalidArguments: "arguments.invalid"
        case .denied, .completed: report.decision?.rule ?? "allowed"
        }
    }

    /// Why a call failed, short enough for a log field: the policy's reason for a denial, the
    /// last line of anything else (for bash, `Command exited with code N` and the like).
    private static func reason(_ report: ToolCallReport, _ result: ToolResult) -> String? {
        guard result.isError else { return nil }
        if report.stage == .denied, let decision = report.decision { return decision.reason }
        let last = Truncation.lines(result.text).last(where: { !$0.isEmpty }) ?? ""
        return Truncation.truncateLine(last, maxLength: 300).text
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

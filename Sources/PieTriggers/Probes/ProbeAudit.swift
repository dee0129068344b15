import PieAutomations
import PieJSON
import PiePolicy
import PieSandbox

/// The audit records of one probe run: the policy's decision before it runs (a failed write
/// stops the probe, as it stops a tool call) and the outcome after. When the completion cannot
/// be written the command has already run: its result still fires, carrying the failure as a
/// warning.
struct ProbeAudit {
    let log: AuditLog
    let probe: Probe
    /// One id per run, so its two records pair up.
    let callID = "probe-" + String(UInt64.random(in: 0...UInt64.max), radix: 16)

    var session: String { "automation:\(probe.automation.rawValue)" }
    var arguments: String { JSONWriter.string(.object(JSONObject([("command", .string(probe.command))]))) }

    func decision(_ decision: Decision) throws(AuditError) {
        try log.append(
            AuditRecord(
                event: .decision, session: session, callID: callID, tool: "probe", arguments: arguments,
                decision: decision.allowed ? .allow : .deny, rule: decision.rule, reason: decision.reason))
    }

    /// nil, or why the record could not be written.
    func completion(_ result: ProbeResult, duration: Duration) -> String? {
        let milliseconds = Int(duration.components.seconds) * 1000 + Int(duration.components.attoseconds / 1_000_000_000_000_000)
        return append(
            AuditRecord(
                event: .completion, session: session, callID: callID, tool: "probe", arguments: arguments,
                decision: .allow, rule: "allowed", sandbox: result.sandbox, warnings: result.warnings,
                exitCode: result.exitStatus.map(Int.init), timedOut: result.timedOut ? true : nil, durationMs: milliseconds,
                bytesOut: result.output.utf8.count, output: result.output))
    }

    /// nil, or why the record could not be written.
    func failure(_ message: String) -> String? {
        append(
            AuditRecord(
                event: .completion, session: session, callID: callID, tool: "probe", arguments: arguments,
                decision: .allow, rule: "allowed", reason: "could not start: \(message)"))
    }

    private func append(_ record: AuditRecord) -> String? {
        do throws(AuditError) {
            try log.append(record)
            return nil
        } catch {
            return "the audit record of the probe's outcome could not be written: \(error.message)"
        }
    }
}

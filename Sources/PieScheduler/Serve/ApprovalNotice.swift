import PieAutomations
import PieJSON

/// The `needs_approval` line a parked run leaves on standard error: which run and call wait,
/// the held tool and arguments, the rule, the deadline, and the commands that answer.
public enum ApprovalNotice {
    public static func log(_ approval: PendingApproval, of run: RunRecord, to log: ServeLog) {
        log.log(
            .warning, "needs_approval",
            "run \(run.id) of \(run.automationID) waits for approval of \(approval.tool) call \(approval.callID) "
                + "(\(approval.rule): \(approval.reason)); answer with `pie automations approve \(run.id) \(approval.callID)` "
                + "or `pie automations deny \(run.id) \(approval.callID)` before \(RFC3339.format(approval.deadline, in: .utc)), "
                + "else it is denied",
            [
                ("automation", .string(run.automationID)), ("run", .integer(Int(run.id.rawValue))),
                ("call", .string(approval.callID)), ("tool", .string(approval.tool)),
                ("arguments", .string(approval.arguments)), ("rule", .string(approval.rule)),
                ("deadline", .string(RFC3339.format(approval.deadline, in: .utc))),
            ])
    }
}

import PieAutomations
import PieHooks
import PieJSON
import Synchronization

/// The lifecycle hooks of one automation run: `automation_start` and `automation_end` around it,
/// `approval_needed` when it parks on a held call. The approver exists before the agent (it is
/// part of what builds it), so the agent's hooks are attached once it is built.
final class RunHooks: Sendable {
    private let lifecycle = Mutex<LifecycleHooks?>(nil)
    let run: RunRecord

    init(run: RunRecord) {
        self.run = run
    }

    func attach(_ hooks: LifecycleHooks?) {
        lifecycle.withLock { $0 = hooks }
    }

    func started() {
        fire(.automationStart) { _ in }
    }

    func ended(_ outcome: RunOutcome) {
        fire(.automationEnd) { payload in
            payload["run_state"] = .string(outcome.state.rawValue)
            if let reason = outcome.reason { payload["run_reason"] = .string(reason) }
        }
    }

    /// The held call, its rule, its deadline and the commands that answer it.
    func approvalNeeded(_ approval: PendingApproval) {
        fire(.approvalNeeded) { payload in
            // The arguments were stored as the model sent them; text that is not JSON goes as text.
            let arguments: JSONValue
            do { arguments = try JSONParser.parse(Array(approval.arguments.utf8)) } catch { arguments = .string(approval.arguments) }
            payload.setTool(callID: approval.callID, name: approval.tool, arguments: arguments)
            if approval.tool == "bash", let command = payload["tool_args"]?["command"]?.stringValue {
                payload["held_command"] = .string(command)
            }
            payload["approval_rule"] = .string(approval.rule)
            payload["approval_reason"] = .string(approval.reason)
            payload["approval_deadline"] = .string(RFC3339.format(approval.deadline, in: .utc))
            payload["approve_command"] = .string("pie automations approve \(run.id) \(approval.callID)")
            payload["deny_command"] = .string("pie automations deny \(run.id) \(approval.callID)")
        }
    }

    /// Lets queued hooks finish before the run is reported done.
    func drain() async {
        await lifecycle.withLock { $0 }?.drain()
    }

    private func fire(_ event: HookEvent, _ fill: (inout HookPayload) -> Void) {
        guard let hooks = lifecycle.withLock({ $0 }), hooks.wants(event) else { return }
        var payload = hooks.payload(event)
        payload["automation_id"] = .string(run.automationID)
        payload["run_id"] = .integer(Int(run.id.rawValue))
        payload["trigger"] = .string(run.trigger.rawValue)
        payload["automation_file"] = .string(run.automationFile)
        fill(&payload)
        hooks.fire(payload)
    }
}

import PieAgent
import PieAutomations
import PieSandbox

/// The approver of an unattended run: it never approves anything itself. A held call is
/// recorded in the store and the run parks as `needs_approval`; `notify` tells the operator
/// (serve's log line); then the run waits, in its own process, for `pie automations approve`
/// or `deny` from another one, reading the store every `pollInterval` of real time. No answer
/// by `approval_timeout` on the scheduler's clock is a deny. The run's own `timeout` is paused
/// while it waits. A run stopped meanwhile (SIGTERM, replaced) gets a deny and ends as its stop
/// says.
struct StoreApprover: Approver {
    let store: any AutomationStore
    let run: RunID
    let timeout: AutomationDuration
    let clock: any SchedulerClock
    let pollInterval: Duration
    let notify: @Sendable (PendingApproval) -> Void
    /// The run's `timeout`, paused while the run waits.
    let runTimeout: RunTimeout?

    func approve(_ request: ApprovalRequest) async -> ApprovalAnswer {
        let now = clock.now()
        var pending = PendingApproval(
            run: run, callID: request.callID, tool: request.tool, arguments: request.arguments, rule: request.rule,
            reason: request.reason, askedAt: now, deadline: Instant(secondsSinceEpoch: now.secondsSinceEpoch + timeout.seconds))
        do {
            pending.callID = try store.park(pending)
        } catch {
            return ApprovalAnswer(
                approved: false, source: .nobody,
                note: "the question could not be recorded in the automation store (\(error)), so nobody can approve it")
        }
        notify(pending)
        runTimeout?.pause()
        let answer = await wait(for: pending)
        runTimeout?.resume()
        // Back to running whatever the answer: `finish` records only runs that are running.
        do { try store.resume(run: run) } catch {}
        return answer
    }

    private func wait(for pending: PendingApproval) async -> ApprovalAnswer {
        while !Task.isCancelled {
            let now = clock.now()
            do {
                if let verdict = try store.settle(run: run, call: pending.callID, now: now) {
                    return Self.answer(verdict, call: pending.callID, timeout: timeout)
                }
            } catch {
                // A store that cannot be read is retried until the deadline; past it, no answer.
                if now >= pending.deadline {
                    return ApprovalAnswer(
                        approved: false, source: .timeout,
                        note: "no answer could be read before approval_timeout \(timeout) (\(error)), so the call is denied")
                }
            }
            do {
                try await Task.sleep(for: min(pollInterval, max(clock.delay(until: pending.deadline), .milliseconds(10))))
            } catch {
                break
            }
        }
        return ApprovalAnswer(
            approved: false, source: .nobody, note: "the run was stopped while call \(pending.callID) waited for approval")
    }

    static func answer(_ verdict: ApprovalVerdict, call: String, timeout: AutomationDuration) -> ApprovalAnswer {
        switch (verdict.answer, verdict.source) {
        case (.approve, .command):
            ApprovalAnswer(approved: true, source: .command, note: "approved with `pie automations approve` (call \(call))")
        case (.deny, .command):
            ApprovalAnswer(approved: false, source: .command, note: "denied with `pie automations deny` (call \(call))")
        case (_, .timeout):
            ApprovalAnswer(
                approved: false, source: .timeout,
                note: "nobody answered within approval_timeout \(timeout) (call \(call)), so the call is denied")
        }
    }
}

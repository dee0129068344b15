import PieAutomations

/// What one probe remembers between runs, and the rule that turns results into fires.
///
/// A probe fires on a transition, not on every matching result: `success` fires when the command
/// starts succeeding, `failure` when it starts failing, `change` when the outcome differs from
/// the previous one. Before the first result the outcome is unknown, which counts as "not
/// matching" for `success` and `failure` (a condition that already holds when serve starts fires
/// once) and as no baseline for `change` (the first result only sets it). A denial or a probe
/// that could not run leaves the last outcome as it was, and is reported once until something
/// else happens.
struct ProbeTracker: Sendable, Equatable {
    let fire: AutomationTrigger.ProbeFire
    /// The last result's outcome; nil before the first result.
    private(set) var lastSucceeded: Bool?
    /// The last problem reported, so the same one is not reported on every run.
    private var lastProblem: TriggerNotice.Kind?

    init(fire: AutomationTrigger.ProbeFire) { self.fire = fire }

    /// Whether `result` fires the trigger; records it.
    mutating func observe(_ result: ProbeResult) -> Bool {
        let previous = lastSucceeded
        lastSucceeded = result.succeeded
        if !result.timedOut { lastProblem = nil }
        switch fire {
        case .success: return result.succeeded && previous != true
        case .failure: return !result.succeeded && previous != false
        case .change: return previous.map { $0 != result.succeeded } ?? false
        }
    }

    /// Whether `problem` should be reported: not when it is the one reported last.
    mutating func shouldReport(_ problem: TriggerNotice.Kind) -> Bool {
        guard problem != lastProblem else { return false }
        lastProblem = problem
        return true
    }
}

/// Where a run is in its life (docs/automations.md, "Run states"). Stored as its raw value.
public enum RunState: String, Sendable, CaseIterable {
    /// Waiting for its `not_before` time and for the automation's previous run to end.
    case queued
    /// Held by a live process's lease and executing.
    case running
    case succeeded
    /// The model call failed, the agent could not be built, or a budget (`max_turns`,
    /// `max_cost`, `max_tokens`) was exceeded; `reason` says which.
    case failed
    /// The run's `timeout` elapsed.
    case timedOut = "timed_out"
    /// Its process stopped (killed, crashed, SIGTERM past the grace period) or a newer run replaced it.
    case interrupted
    /// Never started: a tick came while the previous run was going (`overlap = skip`).
    case skipped
    /// Parked on a tool call the policy marks `ask`; nobody may approve it from inside the run.
    case needsApproval = "needs_approval"

    /// Whether the run has ended for good (a retry is a new run).
    public var isFinal: Bool {
        switch self {
        case .queued, .running, .needsApproval: false
        case .succeeded, .failed, .timedOut, .interrupted, .skipped: true
        }
    }
}

import PieAutomations

/// A tool call a run parked on: the policy said `ask`, and only a person may answer, with
/// `pie automations approve RUN CALL` or `deny RUN CALL`, before `deadline`.
public struct PendingApproval: Sendable, Equatable {
    public var run: RunID
    public var callID: String
    public var tool: String
    /// The arguments as the model wrote them.
    public var arguments: String
    /// The ask rule (`ask_commands`, `ask_paths`) and why it matched.
    public var rule: String
    public var reason: String
    public var askedAt: Instant
    /// When no answer makes it a deny (`approval_timeout` after `askedAt`).
    public var deadline: Instant
    public var answer: ApprovalVerdict?

    public init(
        run: RunID, callID: String, tool: String, arguments: String, rule: String, reason: String, askedAt: Instant,
        deadline: Instant, answer: ApprovalVerdict? = nil
    ) {
        (self.run, self.callID, self.tool, self.arguments) = (run, callID, tool, arguments)
        (self.rule, self.reason, self.askedAt, self.deadline, self.answer) = (rule, reason, askedAt, deadline, answer)
    }
}

/// A recorded answer: approve or deny, and who gave it (`command`: a person with `pie automations
/// approve|deny`; `timeout`: nobody answered within `approval_timeout`).
public struct ApprovalVerdict: Sendable, Equatable {
    public enum Answer: String, Sendable { case approve, deny }
    public enum Source: String, Sendable { case command, timeout }

    public var answer: Answer
    public var source: Source
    public var at: Instant

    public init(answer: Answer, source: Source, at: Instant) {
        (self.answer, self.source, self.at) = (answer, source, at)
    }
}

/// Why `pie automations approve|deny` could not record an answer.
public enum ApprovalError: Error, Sendable, Equatable, CustomStringConvertible {
    case noSuchCall(run: RunID, call: String)
    case alreadyAnswered(run: RunID, call: String, answer: ApprovalVerdict.Answer, source: ApprovalVerdict.Source)
    /// The run stopped waiting (its process died, it was stopped or replaced): no answer resumes it.
    case notWaiting(run: RunID, state: RunState)
    case store(StoreError)

    public var description: String {
        switch self {
        case .noSuchCall(let run, let call):
            "run \(run) has no tool call '\(call)' waiting for approval; `pie automations runs` shows runs in "
                + "needs_approval and `pie automations approvals` lists their calls"
        case .alreadyAnswered(let run, let call, let answer, let source):
            "call '\(call)' of run \(run) was already answered (\(answer.rawValue), by \(source == .timeout ? "approval_timeout" : "a person")); "
                + "an answer is final"
        case .notWaiting(let run, let state):
            "run \(run) is \(state.rawValue), no longer waiting for approval; a run does not resume across a restart "
                + "of its process (docs/automations.md, \"Approvals\")"
        case .store(let error):
            error.description
        }
    }
}

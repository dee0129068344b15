/// One step of a policy evaluation, in the order it ran. Every check leaves a step, so a reviewer
/// sees not only the rule that decided but every rule that was consulted before it.
public struct PolicyCheck: Sendable, Equatable, Hashable, Codable {
    public enum Outcome: String, Sendable, Codable {
        case allow, ask, deny, skip
    }

    /// Stable rule identifier, e.g. `max_command_length`, `allowed_commands`, `path.deny`.
    public var check: String
    public var outcome: Outcome
    /// What the check looked at and why it answered as it did.
    public var detail: String

    public init(check: String, outcome: Outcome, detail: String) {
        self.check = check
        self.outcome = outcome
        self.detail = detail
    }
}

/// The answer of the policy to one tool request.
public struct Decision: Sendable, Equatable, Codable {
    /// Allow, deny, or ask: a call every check allowed that an `ask_commands` or `ask_paths`
    /// entry holds back until a person approves it.
    public enum Verdict: String, Sendable, Equatable, Codable, CaseIterable {
        case allow, ask, deny
    }

    public var verdict: Verdict
    /// The check that decided: the first denying check, the ask rule (`ask_commands`,
    /// `ask_paths`), or `allowed` when every check passed.
    public var rule: String
    /// A sentence a human (and a model) can act on.
    public var reason: String
    public var trace: [PolicyCheck]
    /// For path requests: the canonical absolute path that was judged (what the audit records).
    public var resolvedPath: String?

    /// Whether the call may run now. An ask is not allowed: it runs only once approved.
    public var allowed: Bool { verdict == .allow }

    public init(allowed: Bool, rule: String, reason: String, trace: [PolicyCheck], resolvedPath: String? = nil) {
        self.init(verdict: allowed ? .allow : .deny, rule: rule, reason: reason, trace: trace, resolvedPath: resolvedPath)
    }

    public init(verdict: Verdict, rule: String, reason: String, trace: [PolicyCheck], resolvedPath: String? = nil) {
        self.verdict = verdict
        self.rule = rule
        self.reason = reason
        self.trace = trace
        self.resolvedPath = resolvedPath
    }
}

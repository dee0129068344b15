/// How each run of an automation is carried out (`[run]`). The defaults are documented in
/// docs/automations.md; they are conservative because nobody watches the run.
public struct RunSettings: Sendable, Equatable {
    /// What a tick does while the previous run is still going.
    public enum Overlap: String, Sendable, CaseIterable {
        case skip, queue, replace
    }

    /// What happens to ticks missed while no scheduler ran.
    public enum CatchUp: String, Sendable, CaseIterable {
        case none, latest, all
    }

    public enum Session: String, Sendable, CaseIterable {
        /// A fresh session per run.
        case new
        /// One session per automation, continued by every run.
        case `continue`
    }

    public var overlap: Overlap = .skip
    public var catchUp: CatchUp = .latest
    public var maxTurns = 40
    public var timeout = AutomationDuration(seconds: 30 * 60)
    /// In US dollars; nil: no cost limit.
    public var maxCost: Double?
    /// Input plus output tokens; nil: no token limit.
    public var maxTokens: Int?
    public var retries = 0
    /// The first retry's delay; each later one doubles it.
    public var backoff = AutomationDuration(seconds: 30)
    public var session: Session = .new
    /// How long a run parked on an `ask` waits for `pie automations approve`; then it is a deny.
    public var approvalTimeout = AutomationDuration(seconds: 3_600)

    public init() {}

    public static let maxTurnsRange = 1...1_000
    public static let retriesRange = 0...10
}

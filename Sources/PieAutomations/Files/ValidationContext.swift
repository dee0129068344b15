/// What validating an automation file depends on besides its text: the time (an `at` in the past
/// is an error), the environment (a webhook's secret variable), the directories `~` and relative
/// paths resolve against, and what the automation is being loaded for.
public struct ValidationContext: Sendable {
    public enum Purpose: Sendable {
        /// `pie automations validate|list|show`: a missing webhook secret is a warning, since the
        /// shell that edits files is often not the one that serves them.
        case inspect
        /// `pie automations serve`: a missing secret is an error for that automation.
        case serve
    }

    public var now: Instant
    public var environment: [String: String]
    public var home: String?
    /// The project directory; relative paths in a project automation resolve against it.
    public var projectRoot: String?
    public var purpose: Purpose

    public init(
        now: Instant, environment: [String: String], home: String?, projectRoot: String?, purpose: Purpose = .inspect
    ) {
        (self.now, self.environment, self.home, self.projectRoot, self.purpose) =
            (now, environment, home, projectRoot, purpose)
    }
}

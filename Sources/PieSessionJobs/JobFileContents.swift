import PieAutomations

/// What one jobs file held: the jobs that are valid, and every problem with its file and line.
/// A file with problems is still used (its valid jobs run) but never rewritten, so nothing the
/// user wrote is lost; `/cron` and the schedule tool refuse to change it until it is fixed.
public struct JobFileContents: Sendable, Equatable {
    public var jobs: [SessionJob]
    public var issues: [AutomationIssue]

    public init(jobs: [SessionJob] = [], issues: [AutomationIssue] = []) {
        (self.jobs, self.issues) = (jobs, issues)
    }

    public var hasErrors: Bool { issues.contains { $0.severity == .error } }
}

import PieAutomations

/// Carries out one run. The serve loop and `pie automations run` call it in a task of their own;
/// cancelling that task (SIGTERM past its grace period, a replacing run) must end the run soon
/// with an `interrupted` outcome. Tests substitute their own.
public protocol RunExecutor: Sendable {
    func execute(_ run: RunRecord, of automation: Automation) async -> RunOutcome
}

/// What /metrics asks the scheduler for at each scrape. The scheduler answers from its store, so
/// a scrape reads state (a few indexed counts) and changes nothing.
public protocol SchedulerMetricsSource: Sendable {
    func metricsSnapshot() async throws -> SchedulerMetricsSnapshot
}

import PieAutomations
import PieScheduler
import PieWebhooks

/// `/metrics` from the store: runs by state, the durations of the latest finished runs, the
/// queue depth, and each automation's next due time, read when Prometheus scrapes.
struct StoreMetrics: SchedulerMetricsSource {
    let store: any AutomationStore
    /// How many of the newest runs the duration histogram covers: a scrape stays one cheap query.
    static let durationSample = 1_000

    func metricsSnapshot() async throws -> SchedulerMetricsSnapshot {
        let counts = try store.countsByState()
        let durations = try store.runs(limit: Self.durationSample).compactMap { run -> Double? in
            guard let started = run.startedAt, let ended = run.endedAt else { return nil }
            return Double(ended.secondsSinceEpoch - started.secondsSinceEpoch)
        }
        var nextDue: [AutomationID: Instant] = [:]
        for state in try store.automationStates() where state.enabled {
            if let due = state.nextDue, let id = AutomationID(state.id) { nextDue[id] = due }
        }
        return SchedulerMetricsSnapshot(
            runsByState: Dictionary(uniqueKeysWithValues: counts.map { ($0.key.rawValue, $0.value) }),
            runDurations: DurationHistogram(durations: durations), queueDepth: counts[.queued] ?? 0, nextDue: nextDue)
    }
}

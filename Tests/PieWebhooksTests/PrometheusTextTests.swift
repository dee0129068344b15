import PieAutomations
import Testing
@testable import PieWebhooks

@Suite struct PrometheusTextTests {
    @Test("a full page in text format 0.0.4, series in a fixed order")
    func page() throws {
        let histogram = try #require(DurationHistogram(bounds: [1, 60], cumulativeCounts: [1, 3], count: 4, sum: 185.5))
        let snapshot = SchedulerMetricsSnapshot(
            runsByState: ["running": 1, "succeeded": 12, "archived": 2], runDurations: histogram, queueDepth: 3,
            nextDue: [AutomationID("nightly")!: Instant(secondsSinceEpoch: 1_780_000_000), AutomationID("deploy")!: Instant(secondsSinceEpoch: 1_780_000_060)])
        let deploy = AutomationID("deploy")!
        let text = PrometheusText.render(
            snapshot: snapshot,
            deliveries: [
                .init(automationID: deploy, outcome: .queued): 5, .init(automationID: deploy, outcome: .unauthorized): 2,
                .init(automationID: nil, outcome: .notFound): 7,
            ])
        #expect(
            text == """
                # HELP pie_scheduler_up 1 when the scheduler's state could be read for this scrape, else 0.
                # TYPE pie_scheduler_up gauge
                pie_scheduler_up 1
                # HELP pie_automation_runs Runs in the store by state.
                # TYPE pie_automation_runs gauge
                pie_automation_runs{state="queued"} 0
                pie_automation_runs{state="running"} 1
                pie_automation_runs{state="succeeded"} 12
                pie_automation_runs{state="failed"} 0
                pie_automation_runs{state="timed_out"} 0
                pie_automation_runs{state="interrupted"} 0
                pie_automation_runs{state="skipped"} 0
                pie_automation_runs{state="needs_approval"} 0
                pie_automation_runs{state="archived"} 2
                # HELP pie_automation_run_duration_seconds Durations of finished runs in seconds.
                # TYPE pie_automation_run_duration_seconds histogram
                pie_automation_run_duration_seconds_bucket{le="1"} 1
                pie_automation_run_duration_seconds_bucket{le="60"} 3
                pie_automation_run_duration_seconds_bucket{le="+Inf"} 4
                pie_automation_run_duration_seconds_sum 185.5
                pie_automation_run_duration_seconds_count 4
                # HELP pie_automation_queue_depth Runs queued and not yet started.
                # TYPE pie_automation_queue_depth gauge
                pie_automation_queue_depth 3
                # HELP pie_automation_next_due_timestamp_seconds Each automation's next due time, in seconds since the Unix epoch.
                # TYPE pie_automation_next_due_timestamp_seconds gauge
                pie_automation_next_due_timestamp_seconds{automation="deploy"} 1780000060
                pie_automation_next_due_timestamp_seconds{automation="nightly"} 1780000000
                # HELP pie_webhook_deliveries_total Requests to the webhook listener since it started, by automation and outcome.
                # TYPE pie_webhook_deliveries_total counter
                pie_webhook_deliveries_total{outcome="not_found"} 7
                pie_webhook_deliveries_total{automation="deploy",outcome="queued"} 5
                pie_webhook_deliveries_total{automation="deploy",outcome="unauthorized"} 2

                """)
    }

    @Test("without the scheduler's snapshot: up is 0 and only the listener's counters follow")
    func noSnapshot() {
        let text = PrometheusText.render(snapshot: nil, deliveries: [:])
        #expect(text.contains("pie_scheduler_up 0\n"))
        #expect(!text.contains("pie_automation_runs"))
        #expect(text.hasSuffix("# TYPE pie_webhook_deliveries_total counter\n"))
    }

    @Test("label values and help text are escaped; numbers are written as the format reads them")
    func escaping() {
        #expect(PrometheusText.escapeLabel("a\\b\"c\nd") == #"a\\b\"c\nd"#)
        #expect(PrometheusText.escapeHelp("x\\y\nz") == #"x\\y\nz"#)
        #expect(PrometheusText.number(3) == "3")
        #expect(PrometheusText.number(0.25) == "0.25")
        #expect(PrometheusText.number(.infinity) == "+Inf")
        #expect(PrometheusText.number(-.infinity) == "-Inf")
        #expect(PrometheusText.number(.nan) == "NaN")
    }

    @Test("histograms: from durations over the standard bounds, and inconsistent counts refused")
    func histograms() {
        let built = DurationHistogram(durations: [0.5, 4, 4, 90, 10_000])
        #expect(built.bounds == DurationHistogram.standardBounds)
        #expect(Array(built.cumulativeCounts.prefix(6)) == [1, 3, 3, 3, 3, 4])
        #expect(built.cumulativeCounts.last == 4)
        #expect(built.count == 5)
        #expect(built.sum == 10_098.5)
        #expect(DurationHistogram(bounds: [5, 1], cumulativeCounts: [0, 0], count: 0, sum: 0) == nil)
        #expect(DurationHistogram(bounds: [1, 5], cumulativeCounts: [2, 1], count: 2, sum: 0) == nil)
        #expect(DurationHistogram(bounds: [1, 5], cumulativeCounts: [1, 2], count: 1, sum: 0) == nil)
        #expect(DurationHistogram(bounds: [1], cumulativeCounts: [], count: 0, sum: 0) == nil)
    }
}

import PieAutomations

/// The Prometheus text exposition format, version 0.0.4: `# HELP` and `# TYPE` lines, then one
/// `name{label="value"} number` line per series. Written here rather than through swift-prometheus
/// because every figure but the delivery counters is a snapshot read from the store at scrape
/// time (including the histogram's bucket counts), while that library's metrics accumulate
/// observations in process-wide registries and would have to be reset and re-fed on each scrape.
public enum PrometheusText {
    /// The Content-Type of the format.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// The page for one scrape. `snapshot` nil means the scheduler could not be asked (or there is
    /// none): `pie_scheduler_up` says 0 and only the listener's own counters follow.
    public static func render(snapshot: SchedulerMetricsSnapshot?, deliveries: [DeliveryCounters.Key: Int]) -> String {
        var page = Page()
        page.family("pie_scheduler_up", type: "gauge", help: "1 when the scheduler's state could be read for this scrape, else 0.")
        page.sample("pie_scheduler_up", value: snapshot == nil ? 0 : 1)
        if let snapshot { render(snapshot, into: &page) }

        page.family(
            "pie_webhook_deliveries_total", type: "counter",
            help: "Requests to the webhook listener since it started, by automation and outcome.")
        let ordered = deliveries.sorted { lhs, rhs in
            let (left, right) = (lhs.key.automationID?.rawValue ?? "", rhs.key.automationID?.rawValue ?? "")
            return left != right ? left < right : lhs.key.outcome.rawValue < rhs.key.outcome.rawValue
        }
        for (key, count) in ordered {
            var labels: [(String, String)] = []
            if let id = key.automationID { labels.append(("automation", id.rawValue)) }
            labels.append(("outcome", key.outcome.rawValue))
            page.sample("pie_webhook_deliveries_total", labels: labels, value: Double(count))
        }
        return page.text
    }

    private static func render(_ snapshot: SchedulerMetricsSnapshot, into page: inout Page) {
        page.family("pie_automation_runs", type: "gauge", help: "Runs in the store by state.")
        let extra = snapshot.runsByState.keys.filter { !SchedulerMetricsSnapshot.runStates.contains($0) }.sorted()
        for state in SchedulerMetricsSnapshot.runStates + extra {
            page.sample("pie_automation_runs", labels: [("state", state)], value: Double(snapshot.runsByState[state] ?? 0))
        }

        let histogram = snapshot.runDurations
        page.family("pie_automation_run_duration_seconds", type: "histogram", help: "Durations of finished runs in seconds.")
        for (bound, count) in zip(histogram.bounds, histogram.cumulativeCounts) {
            page.sample("pie_automation_run_duration_seconds_bucket", labels: [("le", number(bound))], value: Double(count))
        }
        page.sample("pie_automation_run_duration_seconds_bucket", labels: [("le", "+Inf")], value: Double(histogram.count))
        page.sample("pie_automation_run_duration_seconds_sum", value: histogram.sum)
        page.sample("pie_automation_run_duration_seconds_count", value: Double(histogram.count))

        page.family("pie_automation_queue_depth", type: "gauge", help: "Runs queued and not yet started.")
        page.sample("pie_automation_queue_depth", value: Double(snapshot.queueDepth))

        page.family(
            "pie_automation_next_due_timestamp_seconds", type: "gauge",
            help: "Each automation's next due time, in seconds since the Unix epoch.")
        for (id, due) in snapshot.nextDue.sorted(by: { $0.key < $1.key }) {
            page.sample(
                "pie_automation_next_due_timestamp_seconds", labels: [("automation", id.rawValue)],
                value: Double(due.secondsSinceEpoch))
        }
    }

    /// A sample value as the format writes it: integers without a fraction, `+Inf`, `-Inf`, `NaN`.
    static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    /// A label value with `\`, `"` and newline escaped, as the format requires.
    static func escapeLabel(_ value: String) -> String {
        var escaped = ""
        for character in value {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// A HELP text with `\` and newline escaped.
    static func escapeHelp(_ text: String) -> String {
        text.replacing("\\", with: "\\\\").replacing("\n", with: "\\n")
    }

    private struct Page {
        var text = ""

        mutating func family(_ name: String, type: String, help: String) {
            text += "# HELP \(name) \(PrometheusText.escapeHelp(help))\n# TYPE \(name) \(type)\n"
        }

        mutating func sample(_ name: String, labels: [(String, String)] = [], value: Double) {
            text += name
            if !labels.isEmpty {
                text += "{" + labels.map { "\($0.0)=\"\(PrometheusText.escapeLabel($0.1))\"" }.joined(separator: ",") + "}"
            }
            text += " \(PrometheusText.number(value))\n"
        }
    }
}

import PieAutomations
import PieJSON
import PieScheduler

/// How `runs` and `logs` show a run: JSON members named like the store's columns, times in RFC
/// 3339 (UTC).
enum RunRendering {
    static func time(_ instant: Instant?) -> String {
        instant.map { RFC3339.format($0, in: .utc) } ?? "-"
    }

    static func json(_ run: RunRecord) -> JSONValue {
        func optional(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }
        func instant(_ value: Instant?) -> JSONValue { value.map { .string(RFC3339.format($0, in: .utc)) } ?? .null }
        return .object(
            JSONObject([
                ("id", .integer(Int(run.id.rawValue))), ("automation", .string(run.automationID)),
                ("automation_file", .string(run.automationFile)), ("trigger", .string(run.trigger.rawValue)),
                ("state", .string(run.state.rawValue)), ("attempt", .integer(run.attempt)),
                ("max_attempts", .integer(run.maxAttempts)),
                ("retry_of", run.retryOf.map { .integer(Int($0.rawValue)) } ?? .null),
                ("tick", instant(run.tick)), ("scheduled_at", instant(run.scheduledAt)),
                ("not_before", instant(run.notBefore)), ("started_at", instant(run.startedAt)),
                ("ended_at", instant(run.endedAt)), ("tokens", .integer(run.tokens)), ("cost", .number(run.cost)),
                ("session_id", optional(run.sessionID)), ("session_path", optional(run.sessionPath)),
                ("reason", optional(run.reason)), ("final_message", optional(run.finalMessage)),
                ("has_payload", .bool(run.payload != nil)), ("worker", optional(run.worker)),
            ]))
    }

    /// One line per run for `pie automations runs`.
    static func table(_ runs: [RunRecord]) -> String {
        let header = ["RUN", "AUTOMATION", "TRIGGER", "STATE", "TRY", "SCHEDULED", "ENDED", "TOKENS", "WORKER", "REASON"]
        let rows = runs.map { run in
            [
                "\(run.id)", run.automationID, run.trigger.rawValue, run.state.rawValue, "\(run.attempt)/\(run.maxAttempts)",
                time(run.scheduledAt), time(run.endedAt), "\(run.tokens)", shortWorker(run.worker), run.reason ?? "",
            ]
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        return ([header] + rows).map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell.padding(to: widths[column])
            }.joined(separator: "  ").trimmingTrailingSpaces() + "\n"
        }.joined()
    }

    /// `host/pid` of the worker that ran it (its lease owner without the process start time), `-` before any did.
    static func shortWorker(_ worker: String?) -> String {
        guard let worker else { return "-" }
        let parts = worker.split(separator: "/", omittingEmptySubsequences: false)
        return parts.count == 3 ? "\(parts[0])/\(parts[1])" : worker
    }

    /// `pie automations logs RUN` as text.
    static func details(_ run: RunRecord) -> String {
        var lines = [
            "run \(run.id) of \(run.automationID) (\(run.trigger.rawValue)), attempt \(run.attempt) of \(run.maxAttempts)"
                + (run.retryOf.map { ", retrying run \($0)" } ?? ""),
            "state: \(run.state.rawValue)" + (run.reason.map { ": \($0)" } ?? ""),
            "file: \(run.automationFile)",
            "scheduled: \(time(run.scheduledAt))  started: \(time(run.startedAt))  ended: \(time(run.endedAt))",
            "tokens: \(run.tokens)  cost: $\(run.cost)",
        ]
        if let worker = run.worker { lines.append("worker: \(worker)") }
        if let id = run.sessionID {
            lines.append("session: \(id)" + (run.sessionPath.map { " (\($0))" } ?? ""))
            lines.append("open it with: pie --resume-id \(id)")
        }
        if run.payload != nil { lines.append("payload: external data came with this run (shown to the model as data)") }
        if let message = run.finalMessage { lines += ["final message:", message] }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        String(self.reversed().drop { $0 == " " }.reversed())
    }
}

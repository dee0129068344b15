import Glibc
import PieAutomations
import PieScheduler

/// The automation store's part of "delivery → run queued" (issue 12, point 10; target < 1 ms at
/// the median): `SchedulerStore.admitDelivery` on a real SQLite file (WAL), one transaction per
/// delivery that checks and remembers both replay keys and queues a run, as `pie-serve` does
/// after a signature checks out. No HTTP, so the figure is the store alone.
enum StoreBench {
    static let deliveries = 500

    static func run() async throws {
        guard let directory = BenchEnvironment.temporaryDirectory("store") else {
            print("store: failed: no temporary directory")
            return
        }
        defer { BenchEnvironment.remove(directory) }
        let store = try SchedulerStore(path: directory + "/automations.db")
        let context = ValidationContext(
            now: Instant(secondsSinceEpoch: 0), environment: [:], home: directory, projectRoot: directory)
        let toml = """
            prompt = "Summarise the deploy."
            model = "local:m"
            [trigger]
            webhook = { path = "/hooks/deploy", secret_env = "DEPLOY_SECRET", signature = "hmac-sha256" }
            [run]
            overlap = "queue"
            """
        guard let id = AutomationID("deploy"),
            let automation = AutomationParser.parse(
                toml, path: directory + "/.pie/automations/deploy.toml", id: id, scope: .project, context: context
            ).automation
        else {
            print("store: failed: the benchmark's automation did not parse")
            return
        }
        let body = String(repeating: "x", count: 4_000)
        var samples: [Double] = []
        for index in 0...deliveries {
            let at = Instant(secondsSinceEpoch: 1_767_225_600 + Int64(index))
            let start = monotonicNanos()
            _ = try store.admitDelivery(
                automation: automation, replayKeys: ["id:\(index)", "sig:\(index)"], body: body, receivedAt: at, debounce: nil)
            if index > 0 { samples.append(Double(monotonicNanos() - start) / 1e6) }
        }
        let summary = Summary(samples)
        print(
            "store: admitDelivery (replay check on 2 keys, queue a run, remember the keys; 4 KB body): median \(format(summary.median * 1_000, 1)) µs, p90 \(format(summary.p90 * 1_000, 1)) µs (n=\(deliveries))"
        )
    }
}

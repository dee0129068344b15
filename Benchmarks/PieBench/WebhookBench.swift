import Glibc
import PieAutomations
import PieSystem
import PieTestSupport
import PieWebhooks

/// Verified webhook deliveries on loopback (issue 12, point 10; target ≥ 5,000/s): GitHub-style
/// HMAC-SHA256 over 4 KiB bodies, each delivery unique (so none is a replay), sent by a few
/// keep-alive connections on their own threads. The sink is an in-memory stand-in for the
/// scheduler's store (its SQLite transaction is measured with the store, not here); the latency
/// figure is the client's request → 202 round trip, which contains delivery → admit.
enum WebhookBench {
    static let connections = 4
    static let deliveriesPerConnection = 5_000
    static let bodyBytes = 4_096
    static let secret = "bench-webhook-secret"

    /// Counts admissions; stands in for the store.
    actor CountingSink: WebhookSink {
        private(set) var admitted = 0

        func admit(_ delivery: VerifiedDelivery) async throws -> WebhookAdmission {
            admitted += 1
            return .queued(runID: "run-\(admitted)")
        }
    }

    static func run() async throws {
        let sink = CountingSink()
        let endpoint = WebhookEndpoint(
            automationID: AutomationID("bench")!, file: "bench.toml", path: "/hooks/bench", signature: .githubSHA256,
            secretEnv: "BENCH_SECRET", debounce: nil)
        let listener = WebhookListener(
            configuration: WebhookListenerConfiguration(address: ListenAddress(host: "127.0.0.1", port: 0)),
            routes: WebhookRouteTable(endpoints: [endpoint], environment: ["BENCH_SECRET": secret]), sink: sink, metrics: nil)
        let port = try await listener.start().port

        // Requests are built and signed before the clock starts: the figure is the listener's.
        let requests = try (0..<connections).map { connection in
            try (0..<deliveriesPerConnection).map { index in try request(connection: connection, index: index) }
        }
        let warmup = try LoopbackHTTPConnection(port: port)
        for index in 0..<200 { _ = try warmup.exchange(try request(connection: connections, index: index)) }

        let start = monotonicNanos()
        let measured: [Double]
        do {
            measured = try await withThrowingTaskGroup(of: [Double].self) { group in
                for batch in requests {
                    group.addTask { try await LoopbackHTTPConnection.offPool { try deliver(batch, port: port) } }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
        } catch {
            await listener.stop()
            print("webhook: failed: \(error)")
            return
        }
        let seconds = Double(monotonicNanos() - start) / 1e9
        await listener.stop()
        let total = connections * deliveriesPerConnection
        let summary = Summary(measured)
        let admitted = await sink.admitted
        print(
            "webhook: \(total) verified deliveries (HMAC-SHA256, \(bodyBytes / 1024) KiB bodies, \(connections) keep-alive connections): \(Int((Double(total) / seconds).rounded()))/s (target ≥ 5,000/s), admitted \(admitted - 200)"
        )
        print(
            "webhook: request → 202 (delivery → admit inside it): median \(format(summary.median, 3)) ms, p90 \(format(summary.p90, 3)) ms, p99 \(format(summary.p99, 3)) ms (target < 1 ms median, n=\(total))"
        )
    }

    /// Sends `batch` over one keep-alive connection; the round trip of each, in milliseconds.
    static func deliver(_ batch: [[UInt8]], port: Int) throws -> [Double] {
        let connection = try LoopbackHTTPConnection(port: port)
        var times: [Double] = []
        times.reserveCapacity(batch.count)
        for request in batch {
            let sent = monotonicNanos()
            let response = try connection.exchange(request)
            times.append(Double(monotonicNanos() - sent) / 1e6)
            guard response.status == 202 else { throw BenchFailure(status: response.status, body: response.bodyText) }
        }
        return times
    }

    struct BenchFailure: Error, CustomStringConvertible {
        var status: Int
        var body: String
        var description: String { "a delivery got \(status): \(body)" }
    }

    /// A unique 4 KiB JSON body with its GitHub signature and delivery id.
    static func request(connection: Int, index: Int) throws -> [UInt8] {
        let head = #"{"connection":\#(connection),"delivery":\#(index),"padding":""#
        let tail = #""}"#
        var body = Array(head.utf8)
        body += [UInt8](repeating: UInt8(ascii: "p"), count: bodyBytes - body.count - tail.utf8.count)
        body += Array(tail.utf8)
        let signature = Hex.lowercase(try HMACSHA256.authenticationCode(key: Array(secret.utf8), message: body))
        return LoopbackHTTPConnection.request(
            path: "/hooks/bench",
            headers: [
                ("X-Hub-Signature-256", "sha256=\(signature)"), ("X-GitHub-Delivery", "\(connection)-\(index)"),
                ("Content-Type", "application/json"),
            ], body: body)
    }
}

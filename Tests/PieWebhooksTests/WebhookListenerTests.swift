import Glibc
import PieAutomations
import PieJSON
import PieTestSupport
import Testing
@testable import PieWebhooks

/// The listener over real loopback HTTP (127.0.0.1, a free port), with signatures from python3's
/// hmac module and the in-memory test double behind the sink seam.
@Suite struct WebhookListenerTests {
    static let secret = "deploy-secret-0123"
    static let now: Int64 = 1_780_000_000

    struct Served {
        let listener: WebhookListener
        let port: Int
        let sink: InMemorySink
        let clock: TestClock
        let events: EventLog
    }

    static func endpoint(
        _ id: String, _ path: String, _ signature: AutomationTrigger.Signature, env: String = "DEPLOY_SECRET",
        debounce: Int64? = nil
    ) -> WebhookEndpoint {
        WebhookEndpoint(
            automationID: AutomationID(id)!, file: "/p/.pie/automations/\(id).toml", path: path, signature: signature,
            secretEnv: env, debounce: debounce.map { AutomationDuration(seconds: $0) })
    }

    static let standardEndpoints = [
        endpoint("deploy", "/hooks/deploy", .githubSHA256),
        endpoint("chat", "/hooks/slack", .slackV0),
        endpoint("ci", "/hooks/ci", .hmacSHA256, debounce: 60),
        endpoint("orphan", "/hooks/orphan", .githubSHA256, env: "ORPHAN_SECRET"),
    ]

    static func serve(
        endpoints: [WebhookEndpoint] = standardEndpoints, bodyLimit: Int = WebhookListenerConfiguration.standardBodyLimit,
        metrics: (any SchedulerMetricsSource)? = nil
    ) async throws -> Served {
        let (sink, clock, events) = (InMemorySink(), TestClock(now), EventLog())
        let listener = WebhookListener(
            configuration: WebhookListenerConfiguration(address: ListenAddress(host: "127.0.0.1", port: 0), bodyLimit: bodyLimit),
            routes: WebhookRouteTable(endpoints: endpoints, environment: ["DEPLOY_SECRET": secret]), sink: sink, metrics: metrics,
            clock: clock, events: events.record)
        let address = try await listener.start()
        #expect(address.host == "127.0.0.1" && address.port > 0)
        return Served(listener: listener, port: address.port, sink: sink, clock: clock, events: events)
    }

    static func github(_ body: String, delivery: String? = nil, signature: String? = nil) async throws -> [UInt8] {
        let hex: String
        if let signature { hex = signature } else { hex = try await Oracle.hmacHex(key: secret, message: Array(body.utf8)) }
        var headers = [("X-Hub-Signature-256", "sha256=\(hex)"), ("Content-Type", "application/json")]
        if let delivery { headers.append(("X-GitHub-Delivery", delivery)) }
        return LoopbackHTTPConnection.request(path: "/hooks/deploy", headers: headers, body: Array(body.utf8))
    }

    static func exchange(_ port: Int, _ requests: [[UInt8]]) async throws -> [LoopbackHTTPResponse] {
        try await LoopbackHTTPConnection.offPool {
            let connection = try LoopbackHTTPConnection(port: port)
            return try requests.map { try connection.exchange($0) }
        }
    }

    static func json(_ response: LoopbackHTTPResponse) throws -> JSONValue { try JSONParser.parse(response.body) }

    @Test("a signed GitHub delivery is queued: 202 naming the run, the body handed over byte for byte")
    func accepted() async throws {
        let served = try await Self.serve()
        defer { Task { await served.listener.stop() } }
        let body = #"{"action":"completed","deployment":{"id":7,"note":"ünïcode"}}"#
        let responses = try await Self.exchange(served.port, [try await Self.github(body, delivery: "d-1")])
        #expect(responses[0].status == 202)
        #expect(responses[0].headers["content-type"] == "application/json")
        let reply = try Self.json(responses[0])
        #expect(reply["run_id"]?.stringValue == "run-1")
        #expect(reply["automation"]?.stringValue == "deploy")
        #expect(reply["outcome"]?.stringValue == "queued")
        let runs = await served.sink.runs
        #expect(runs.count == 1)
        #expect(runs.first?.bodies == [Array(body.utf8)])
        #expect(runs.first?.dueAt == Instant(secondsSinceEpoch: Self.now))
        #expect(served.events.all.map(\.outcome) == [.queued])
        #expect(served.events.all.first?.runID == "run-1")
        await served.listener.stop()
    }

    @Test("keep-alive: several deliveries and refusals on one connection, each answered in order")
    func keepAlive() async throws {
        let served = try await Self.serve()
        var requests: [[UInt8]] = []
        for index in 1...5 { requests.append(try await Self.github(#"{"n":\#(index)}"#, delivery: "k-\(index)")) }
        requests.append(try await Self.github(#"{"n":6}"#, signature: String(repeating: "0", count: 64)))
        requests.append(try await Self.github(#"{"n":7}"#, delivery: "k-7"))
        let responses = try await Self.exchange(served.port, requests)
        #expect(responses.map(\.status) == [202, 202, 202, 202, 202, 401, 202])
        #expect(try responses.filter { $0.status == 202 }.map { try Self.json($0)["run_id"]?.stringValue } == ["run-1", "run-2", "run-3", "run-4", "run-5", "run-6"])
        #expect(await served.sink.runs.count == 6)
        await served.listener.stop()
    }

    @Test("bad, missing and wrong-secret signatures get 401 and queue nothing")
    func unauthorized() async throws {
        let served = try await Self.serve()
        let body = #"{"ok":true}"#
        let wrongSecret = try await Oracle.hmacHex(key: "not the secret", message: Array(body.utf8))
        let requests = [
            try await Self.github(body, signature: wrongSecret),
            LoopbackHTTPConnection.request(path: "/hooks/deploy", body: Array(body.utf8)),
            LoopbackHTTPConnection.request(path: "/hooks/deploy", headers: [("X-Hub-Signature-256", "sha256=zz")], body: Array(body.utf8)),
            // A valid signature for another body.
            try await Self.github(body + " ", signature: try await Oracle.hmacHex(key: Self.secret, message: Array(body.utf8))),
        ]
        let responses = try await Self.exchange(served.port, requests)
        #expect(responses.map(\.status) == [401, 401, 401, 401])
        #expect(try responses.allSatisfy { try Self.json($0)["outcome"]?.stringValue == "unauthorized" })
        #expect(try Self.json(responses[1])["error"]?.stringValue?.contains("missing X-Hub-Signature-256") == true)
        #expect(await served.sink.runs.isEmpty)
        await served.listener.stop()
    }

    @Test("replays get 409 and queue nothing: same delivery, same id with another body, same signature under a new id")
    func replayed() async throws {
        let served = try await Self.serve()
        let first = try await Self.github(#"{"deploy":1}"#, delivery: "abc")
        let responses = try await Self.exchange(served.port, [
            first,
            first,
            try await Self.github(#"{"deploy":2}"#, delivery: "abc"),
            try await Self.github(#"{"deploy":1}"#, delivery: "xyz"),
            try await Self.github(#"{"deploy":3}"#, delivery: "def"),
        ])
        #expect(responses.map(\.status) == [202, 409, 409, 409, 202])
        #expect(try Self.json(responses[1])["outcome"]?.stringValue == "replayed")
        #expect(await served.sink.runs.map(\.runID) == ["run-1", "run-2"])
        // After the window (injected time), the same delivery is new again.
        served.clock.set(Self.now + ReplayWindow.standard.seconds)
        let later = try await Self.exchange(served.port, [first])
        #expect(later.map(\.status) == [202])
        await served.listener.stop()
    }

    @Test("a body over the cap gets 413 as soon as its declared length is seen, and the connection is closed unread")
    func declaredTooLarge() async throws {
        let served = try await Self.serve()
        let status = try await LoopbackHTTPConnection.offPool { () -> (Int, Bool) in
            let connection = try LoopbackHTTPConnection(port: served.port)
            // Declares one byte over 1 MiB and sends only the head and 1 KiB of it: the answer
            // cannot depend on the rest.
            var head = Array("POST /hooks/deploy HTTP/1.1\r\nHost: x\r\nX-Hub-Signature-256: sha256=\(String(repeating: "0", count: 64))\r\n".utf8)
            head += Array("Content-Length: \((1 << 20) + 1)\r\n\r\n".utf8) + [UInt8](repeating: 0x61, count: 1024)
            try connection.send(head)
            let response = try connection.readResponse()
            return (response.status, connection.closedByServer())
        }
        #expect(status.0 == 413)
        #expect(status.1, "the server should close the connection instead of reading the rest")
        #expect(await served.sink.runs.isEmpty)
        #expect(served.events.all.map(\.outcome) == [.tooLarge])
        await served.listener.stop()
    }

    @Test("a chunked body that grows past the cap gets 413 and a closed connection; exactly the cap is accepted")
    func chunkedTooLarge() async throws {
        let served = try await Self.serve(bodyLimit: 4096)
        let exact = String(repeating: "x", count: 4096)
        let ok = try await Self.exchange(served.port, [try await Self.github(exact)])
        #expect(ok.map(\.status) == [202])
        let result = try await LoopbackHTTPConnection.offPool { () -> (Int, Bool) in
            let connection = try LoopbackHTTPConnection(port: served.port)
            var request = Array("POST /hooks/deploy HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nX-Hub-Signature-256: sha256=\(String(repeating: "0", count: 64))\r\n\r\n".utf8)
            for _ in 0..<3 { request += Array("800\r\n".utf8) + [UInt8](repeating: 0x62, count: 2048) + Array("\r\n".utf8) }
            try connection.send(request)
            let response = try connection.readResponse()
            return (response.status, connection.closedByServer())
        }
        #expect(result.0 == 413)
        #expect(result.1)
        #expect(await served.sink.runs.count == 1)
        await served.listener.stop()
    }

    @Test("unknown paths 404, wrong methods 405 with Allow, and neither reaches the sink")
    func routing() async throws {
        let served = try await Self.serve()
        let responses = try await Self.exchange(served.port, [
            LoopbackHTTPConnection.request(path: "/hooks/nope", body: Array("{}".utf8)),
            LoopbackHTTPConnection.request(method: "GET", path: "/hooks/deploy"),
            LoopbackHTTPConnection.request(method: "PUT", path: "/hooks/deploy", body: Array("{}".utf8)),
            LoopbackHTTPConnection.request(method: "POST", path: "/metrics"),
            LoopbackHTTPConnection.request(method: "POST", path: "/hooks/deploy/"),
        ])
        #expect(responses.map(\.status) == [404, 405, 405, 405, 404])
        #expect(responses[1].headers["allow"] == "POST")
        #expect(responses[3].headers["allow"] == "GET")
        #expect(await served.sink.runs.isEmpty)
        await served.listener.stop()
    }

    @Test("an automation whose secret is missing refuses with 503 while the others keep serving")
    func missingSecret() async throws {
        let served = try await Self.serve()
        let body = "{}"
        let hex = try await Oracle.hmacHex(key: Self.secret, message: Array(body.utf8))
        let responses = try await Self.exchange(served.port, [
            LoopbackHTTPConnection.request(path: "/hooks/orphan", headers: [("X-Hub-Signature-256", "sha256=\(hex)")], body: Array(body.utf8)),
            try await Self.github(body),
        ])
        #expect(responses.map(\.status) == [503, 202])
        #expect(try Self.json(responses[0])["error"]?.stringValue?.contains("ORPHAN_SECRET") == true)
        #expect(await served.sink.runs.map(\.automationID.rawValue) == ["deploy"])
        await served.listener.stop()
    }

    @Test("slack over HTTP: the injected clock decides the five-minute window")
    func slackWindow() async throws {
        let served = try await Self.serve()
        func request(stamp: Int64) async throws -> [UInt8] {
            let body = "payload=%7B%7D"
            let hex = try await Oracle.hmacHex(key: Self.secret, message: Array("v0:\(stamp):\(body)".utf8))
            return LoopbackHTTPConnection.request(
                path: "/hooks/slack", headers: [("X-Slack-Signature", "v0=\(hex)"), ("X-Slack-Request-Timestamp", "\(stamp)")],
                body: Array(body.utf8))
        }
        let stale = try await request(stamp: Self.now - 301)
        let fresh = try await request(stamp: Self.now - 300)
        let responses = try await Self.exchange(served.port, [stale, fresh])
        #expect(responses.map(\.status) == [401, 202])
        #expect(try Self.json(responses[0])["error"]?.stringValue?.contains("301 s") == true)
        served.clock.set(Self.now + 400)
        #expect(try await Self.exchange(served.port, [try await request(stamp: Self.now + 100)]).map(\.status) == [202])
        await served.listener.stop()
    }

    @Test("slack's signed url_verification gets its challenge back and queues nothing; unsigned it is a 401")
    func slackChallenge() async throws {
        let served = try await Self.serve()
        let body = #"{"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}"#
        let stamp = Self.now
        let hex = try await Oracle.hmacHex(key: Self.secret, message: Array("v0:\(stamp):\(body)".utf8))
        let signed = LoopbackHTTPConnection.request(
            path: "/hooks/slack", headers: [("X-Slack-Signature", "v0=\(hex)"), ("X-Slack-Request-Timestamp", "\(stamp)")],
            body: Array(body.utf8))
        let unsigned = LoopbackHTTPConnection.request(path: "/hooks/slack", body: Array(body.utf8))
        let responses = try await Self.exchange(served.port, [signed, unsigned])
        #expect(responses.map(\.status) == [200, 401])
        #expect(try Self.json(responses[0])["challenge"]?.stringValue == "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P")
        #expect(await served.sink.runs.isEmpty)
        // The same shape to a GitHub automation is an ordinary delivery.
        let github = try await Self.exchange(served.port, [try await Self.github(body)])
        #expect(github.map(\.status) == [202])
        await served.listener.stop()
    }

    @Test("debounce: a burst of distinct deliveries becomes one run")
    func debounce() async throws {
        let served = try await Self.serve()
        func request(_ body: String) async throws -> [UInt8] {
            let hex = try await Oracle.hmacHex(key: Self.secret, message: Array(body.utf8))
            return LoopbackHTTPConnection.request(path: "/hooks/ci", headers: [("X-Signature", "sha256=\(hex)")], body: Array(body.utf8))
        }
        let burst = try await Self.exchange(served.port, [try await request("build 1"), try await request("build 2"), try await request("build 3")])
        #expect(burst.map(\.status) == [202, 202, 202])
        #expect(try burst.map { try Self.json($0)["outcome"]?.stringValue } == ["queued", "coalesced", "coalesced"])
        #expect(try Set(burst.map { try Self.json($0)["run_id"]?.stringValue }) == ["run-1"])
        let runs = await served.sink.runs
        #expect(runs.count == 1)
        #expect(runs.first?.bodies.count == 3)
        #expect(runs.first?.dueAt == Instant(secondsSinceEpoch: Self.now + 60))
        served.clock.set(Self.now + 60)
        let next = try await Self.exchange(served.port, [try await request("build 4")])
        #expect(try Self.json(next[0])["run_id"]?.stringValue == "run-2")
        await served.listener.stop()
    }

    @Test("a sink that fails answers 503: nothing was queued, so the sender may retry")
    func sinkFailure() async throws {
        let served = try await Self.serve()
        await served.sink.failNextAdmissions(true)
        let failed = try await Self.exchange(served.port, [try await Self.github("{}", delivery: "f-1")])
        #expect(failed.map(\.status) == [503])
        #expect(try Self.json(failed[0])["outcome"]?.stringValue == "failed")
        await served.sink.failNextAdmissions(false)
        // Not remembered as seen: the retry is admitted.
        #expect(try await Self.exchange(served.port, [try await Self.github("{}", delivery: "f-1")]).map(\.status) == [202])
        await served.listener.stop()
    }

    @Test("/metrics: the scheduler's snapshot and the listener's delivery counts, as Prometheus text")
    func metrics() async throws {
        let snapshot = SchedulerMetricsSnapshot(
            runsByState: ["queued": 2], runDurations: DurationHistogram(durations: [3]), queueDepth: 2,
            nextDue: [AutomationID("nightly")!: Instant(secondsSinceEpoch: Self.now + 3_600)])
        let served = try await Self.serve(metrics: FixedMetrics(snapshot: snapshot))
        _ = try await Self.exchange(served.port, [
            try await Self.github("{}"), try await Self.github("{}"), LoopbackHTTPConnection.request(path: "/x"),
        ])
        let page = try await Self.exchange(served.port, [LoopbackHTTPConnection.request(method: "GET", path: "/metrics")])[0]
        #expect(page.status == 200)
        #expect(page.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8")
        let text = page.bodyText
        #expect(text.contains("pie_scheduler_up 1\n"))
        #expect(text.contains("pie_automation_runs{state=\"queued\"} 2\n"))
        #expect(text.contains("pie_automation_queue_depth 2\n"))
        #expect(text.contains("pie_automation_next_due_timestamp_seconds{automation=\"nightly\"} \(Self.now + 3_600)\n"))
        #expect(text.contains("pie_webhook_deliveries_total{automation=\"deploy\",outcome=\"queued\"} 1\n"))
        #expect(text.contains("pie_webhook_deliveries_total{automation=\"deploy\",outcome=\"replayed\"} 1\n"))
        #expect(text.contains("pie_webhook_deliveries_total{outcome=\"not_found\"} 1\n"))
        await served.listener.stop()
    }

    @Test("/metrics when the scheduler cannot answer: up 0, the listener's counters still there")
    func metricsDown() async throws {
        let served = try await Self.serve(metrics: FixedMetrics(snapshot: nil))
        let page = try await Self.exchange(served.port, [LoopbackHTTPConnection.request(method: "GET", path: "/metrics")])[0]
        #expect(page.status == 200)
        #expect(page.bodyText.contains("pie_scheduler_up 0\n"))
        #expect(served.events.all.contains { $0.outcome == .failed && $0.path == "/metrics" })
        await served.listener.stop()
    }

    @Test("the same delivery on eight connections at once is admitted exactly once")
    func concurrentReplays() async throws {
        let served = try await Self.serve()
        let request = try await Self.github(#"{"race":true}"#, delivery: "race-1")
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<8 { group.addTask { try await Self.exchange(served.port, [request])[0].status } }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(statuses.sorted() == [202] + Array(repeating: 409, count: 7))
        #expect(await served.sink.runs.count == 1)
        await served.listener.stop()
    }

    @Test("the query string is not part of the path; a long unknown path is cut in the reply")
    func pathsAndQueries() async throws {
        let served = try await Self.serve()
        let body = "{}"
        let hex = try await Oracle.hmacHex(key: Self.secret, message: Array(body.utf8))
        let long = "/" + String(repeating: "a", count: 5_000)
        let responses = try await Self.exchange(served.port, [
            LoopbackHTTPConnection.request(
                path: "/hooks/deploy?source=ci", headers: [("X-Hub-Signature-256", "sha256=\(hex)")], body: Array(body.utf8)),
            LoopbackHTTPConnection.request(path: long, body: Array(body.utf8)),
        ])
        #expect(responses.map(\.status) == [202, 404])
        let detail = try #require(try Self.json(responses[1])["error"]?.stringValue)
        #expect(detail.count < 300)
        #expect(served.events.all.allSatisfy { $0.path.count <= WebhookEvent.pathLimit + 1 })
        await served.listener.stop()
    }

    @Test("a connection that sends nothing is closed after the idle timeout")
    func idleTimeout() async throws {
        let listener = WebhookListener(
            configuration: WebhookListenerConfiguration(address: ListenAddress(host: "127.0.0.1", port: 0), idleTimeoutSeconds: 1),
            routes: WebhookRouteTable(endpoints: Self.standardEndpoints, environment: ["DEPLOY_SECRET": Self.secret]),
            sink: InMemorySink(), metrics: nil)
        let port = try await listener.start().port
        let closed = try await LoopbackHTTPConnection.offPool { () -> Bool in
            // The client gives up after 10 s: a server without the timeout fails this test.
            try LoopbackHTTPConnection(port: port, timeoutSeconds: 10).closedByServer()
        }
        #expect(closed)
        await listener.stop()
    }

    @Test("stop: no new connections, but a delivery already inside the sink finishes with its 202")
    func gracefulStop() async throws {
        let served = try await Self.serve()
        let started = AsyncStream<Void>.makeStream()
        let release = AsyncStream<Void>.makeStream()
        await served.sink.hold(started: started.continuation, release: release.stream)
        let request = try await Self.github(#"{"in":"flight"}"#)
        let response = Task { try await Self.exchange(served.port, [request])[0] }
        for await _ in started.stream { break }
        let stopping = Task { await served.listener.stop() }
        // Bounded wait (5 s) for the listening socket to close: stop has begun while the
        // delivery is still held inside the sink.
        let refused = try await LoopbackHTTPConnection.offPool { () -> Bool in
            for _ in 0..<500 {
                do {
                    _ = try LoopbackHTTPConnection(port: served.port)
                } catch {
                    return true
                }
                var pause = timespec(tv_sec: 0, tv_nsec: 10_000_000)
                nanosleep(&pause, nil)
            }
            return false
        }
        #expect(refused, "the listener should stop accepting while a delivery is in flight")
        release.continuation.yield()
        let answer = try await response.value
        await stopping.value
        #expect(answer.status == 202)
        #expect(await served.sink.runs.count == 1)
    }

    @Test("pipelined requests in one write are answered in order")
    func pipelined() async throws {
        let served = try await Self.serve()
        let first = try await Self.github(#"{"p":1}"#)
        let second = try await Self.github(#"{"p":2}"#)
        let third = LoopbackHTTPConnection.request(method: "GET", path: "/hooks/deploy")
        let statuses = try await LoopbackHTTPConnection.offPool { () -> [Int] in
            let connection = try LoopbackHTTPConnection(port: served.port)
            try connection.send(first + second + third)
            return try (0..<3).map { _ in try connection.readResponse().status }
        }
        #expect(statuses == [202, 202, 405])
        #expect(await served.sink.runs.map { String(decoding: $0.bodies[0], as: UTF8.self) } == [#"{"p":1}"#, #"{"p":2}"#])
        await served.listener.stop()
    }

    @Test("start twice, a port in use, and stop: each says what happened")
    func lifecycle() async throws {
        let served = try await Self.serve()
        await #expect(throws: WebhookListenerError.self) { try await served.listener.start() }
        let second = WebhookListener(
            configuration: WebhookListenerConfiguration(address: ListenAddress(host: "127.0.0.1", port: served.port)),
            routes: WebhookRouteTable(endpoints: [], environment: [:]), sink: InMemorySink(), metrics: nil)
        do {
            _ = try await second.start()
            Issue.record("a second listener bound \(served.port), which the first holds")
        } catch {
            #expect(error.description.contains("could not listen on 127.0.0.1:\(served.port)"))
        }
        await served.listener.stop()
        await served.listener.stop()
        // Nothing answers on the port any more: the connection is refused, or — when another
        // test's posix_spawn child still held a copy of the listening socket (SwiftNIO's sockets
        // are not close-on-exec) for the microseconds before it closed its descriptors — reset
        // without a response. An HTTP answer would mean the listener still serves.
        let answer = try await LoopbackHTTPConnection.offPool { () -> LoopbackHTTPResponse? in
            guard let connection = try? LoopbackHTTPConnection(port: served.port, timeoutSeconds: 5) else { return nil }
            return try? connection.exchange(LoopbackHTTPConnection.request(path: "/hooks/deploy", body: Array("{}".utf8)))
        }
        #expect(answer == nil, "something still answers on \(served.port) after stop: \(answer?.status ?? 0)")
    }
}

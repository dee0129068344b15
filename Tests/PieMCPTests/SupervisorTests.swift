import Foundation
import PieJSON
import Synchronization
import Testing

@testable import PieMCP

extension MCPIntegrationTests {
    /// `MCPServerConnection`: a server that dies fails its calls at once and is started again with
    /// exponential backoff; time is a `ManualClock`, so no test waits for the backoff.
    @Suite("MCP server supervision") struct SupervisorTests {
        @Test func aServerKilledMidCallFailsTheCallAndIsRestarted() async throws {
            let python = try await PythonOracle.require()
            try await requireSandbox()
            let clock = ManualClock()
            let connection = MCPServerConnection(
                name: "sdk", launch: featureServer(python), services: testServices,
                restart: MCPRestartPolicy(initialDelayMs: 500, maxDelayMs: 30_000, maxAttempts: 3), clock: clock,
                graceMs: 500)
            defer { Task { await connection.close() } }
            try await connection.start()
            let pid = try #require(await connection.processID)
            let call = Task { try await connection.callTool("slow", arguments: [:]) }
            try await eventually("the slow tool to start") { await connection.stderrTail()?.contains("slow: started") == true }

            #expect(kill(pid, SIGKILL) == 0)
            do {
                _ = try await call.value
                Issue.record("the call survived its server")
            } catch let error as MCPError {
                #expect(error.kind == .transportClosed)
                #expect(error.description.hasPrefix("MCP server 'sdk': the connection ended: the server process killed by signal 9"))
            }
            await clock.waitForSleeps(1)
            #expect(await clock.sleeps == [500])
            guard case .restarting(1, 500, let reason) = await connection.status else {
                Issue.record("not restarting: \(await connection.status)")
                return
            }
            #expect(reason.contains("killed by signal 9"))
            do {
                _ = try await connection.callTool("echo", arguments: ["text": "x"])
                Issue.record("a call went through while the server was down")
            } catch {
                #expect(error.kind == .unavailable)
                #expect(error.message.hasPrefix("is restarting (attempt 1 of 3 in 500 ms) after: the server process killed by signal 9"))
            }
            try await eventually("bubblewrap to be reaped") { !processExists(pid) }

            await clock.advance()
            try await eventually("the restart") { await connection.serverInfo != nil }
            #expect(await connection.restarts == 1)
            #expect(try await firstText(connection.callTool("echo", arguments: ["text": "back"])) == "back")
            #expect(await connection.processID != pid)
        }

        @Test func subscriptionsAreRenewedOnAServerRestartedAfterKillNine() async throws {
            let python = try await PythonOracle.require()
            try await requireSandbox()
            let clock = ManualClock()
            let connection = MCPServerConnection(
                name: "sdk", launch: featureServer(python), services: testServices,
                restart: MCPRestartPolicy(initialDelayMs: 500, maxDelayMs: 30_000, maxAttempts: 3), clock: clock,
                graceMs: 500)
            defer { Task { await connection.close() } }
            try await connection.start()
            try await connection.subscribe("memo://note/1")
            try await connection.subscribe("memo://note/2")
            try await connection.unsubscribe("memo://note/2")
            let pid = try #require(await connection.processID)

            #expect(kill(pid, SIGKILL) == 0)
            await clock.waitForSleeps(1)
            await clock.advance()
            try await eventually("the restart") { await connection.serverInfo != nil }
            #expect(await connection.restarts == 1)
            #expect(await connection.processID != pid)
            // The new server process was asked again. Its stderr line is read by a separate pipe
            // reader, so it may land a moment after the renewal's answer on stdout.
            try await eventually("the renewal on the new server's stderr") {
                (await connection.stderrTail() ?? "").contains("subscribed memo://note/1")
            }
            let stderr = await connection.stderrTail() ?? ""
            #expect(!stderr.contains("subscribed memo://note/2"), "an ended subscription was renewed: \(stderr)")
            #expect(await connection.resubscribeFailures.isEmpty)

            // And it keeps its word: an update of the URI reaches the notification stream.
            _ = try await connection.callTool("touch", arguments: ["uri": "memo://note/1"])
            var updated: [String] = []
            for await notification in connection.notifications {
                if notification.method == "notifications/resources/updated" {
                    updated.append(notification.params?["uri"]?.stringValue ?? "")
                }
                if notification.method == "notifications/pie_test" { break }
            }
            #expect(updated == ["memo://note/1"])
        }

        @Test func aRefusedRenewalIsKeptAndTheServerStillServes() async throws {
            let clock = ManualClock()
            let created = Mutex<[ScriptedTransport]>([])
            let connection = MCPServerConnection(name: "picky", clock: clock) {
                let transport = ScriptedTransport(healthy: true, refuseSubscriptions: created.withLock { !$0.isEmpty })
                created.withLock { $0.append(transport) }
                return transport
            }
            let observed = Mutex<[(Int, [String])]>([])
            await connection.observeRestarts { restarts, refused in observed.withLock { $0.append((restarts, refused)) } }
            try await connection.start()
            try await connection.subscribe("ci://builds/main")
            await (try await connection.client()).close()
            await clock.waitForSleeps(1)
            await clock.advance()
            try await eventually("the restart") { await connection.serverInfo != nil }
            #expect(
                await connection.resubscribeFailures
                    == ["ci://builds/main: resources/subscribe failed: no subscriptions here (scripted) (JSON-RPC error -32601)"])
            let told = observed.withLock { $0 }
            let failures = await connection.resubscribeFailures
            #expect(told.count == 1 && told.first?.0 == 1 && told.first?.1 == failures)
            let second = try #require(created.withLock { $0.last })
            #expect(
                second.sent.compactMap { $0["method"]?.stringValue }
                    == ["initialize", "notifications/initialized", "resources/subscribe"])
            // A refused renewal costs the subscription, not the server.
            let client = try await connection.client()
            #expect(await client.isClosed == false)
            await connection.close()
        }

        @Test func restartsBackOffExponentiallyThenGiveUp() async throws {
            let clock = ManualClock()
            let created = Mutex(0)
            let connection = MCPServerConnection(
                name: "flaky", restart: MCPRestartPolicy(initialDelayMs: 500, maxDelayMs: 1500, maxAttempts: 4), clock: clock
            ) {
                let number = created.withLock { count in
                    count += 1
                    return count
                }
                return ScriptedTransport(healthy: number == 1)
            }
            try await connection.start()
            let first = try await connection.client()
            await first.close()
            for attempt in 1...4 {
                await clock.waitForSleeps(attempt)
                await clock.advance()
            }
            try await eventually("the supervisor to give up") {
                if case .failed = await connection.status { return true }
                return false
            }
            #expect(await clock.sleeps == [500, 1000, 1500, 1500])
            #expect(created.withLock { $0 } == 5)
            guard case .failed(let reason) = await connection.status else { return }
            #expect(reason == "gave up after 4 restart attempts; the last: no server here (scripted)")
            do {
                _ = try await connection.listTools()
                Issue.record("a failed server answered")
            } catch {
                #expect(error.kind == .unavailable)
                #expect(error.message.contains("Run `pie mcp doctor flaky`"))
            }
        }

        @Test func closingStopsAPendingRestart() async throws {
            let clock = ManualClock()
            let connection = MCPServerConnection(name: "once", clock: clock) { ScriptedTransport(healthy: true) }
            try await connection.start()
            await (try await connection.client()).close()
            await clock.waitForSleeps(1)
            await connection.close()
            await clock.advance()
            #expect(await connection.status == .closed)
            #expect(await connection.restarts == 0)
        }

        @Test func backoffDelays() {
            let policy = MCPRestartPolicy()
            #expect((1...9).map(policy.delayMs(attempt:)) == [500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000])
            #expect(MCPRestartPolicy.never.maxAttempts == 0)
        }
    }
}

/// An in-memory server: answers `initialize` when healthy, refuses to start otherwise; records
/// what pie sent and lets a test inject what the server says.
final class ScriptedTransport: MCPTransport {
    let events: AsyncStream<MCPTransportEvent>
    private let continuation: AsyncStream<MCPTransportEvent>.Continuation
    private let healthy: Bool
    private let refuseSubscriptions: Bool
    private let sentMessages = Mutex<[JSONValue]>([])

    init(healthy: Bool, refuseSubscriptions: Bool = false) {
        self.healthy = healthy
        self.refuseSubscriptions = refuseSubscriptions
        (events, continuation) = AsyncStream.makeStream(of: MCPTransportEvent.self)
    }

    /// Everything pie sent, in order.
    var sent: [JSONValue] { sentMessages.withLock { $0 } }

    func inject(_ event: MCPTransportEvent) { continuation.yield(event) }

    func start() async throws(MCPTransportError) {
        if !healthy { throw MCPTransportError(.unreachable, "no server here (scripted)") }
    }

    func send(_ message: JSONValue) async throws(MCPTransportError) {
        sentMessages.withLock { $0.append(message) }
        if message["method"] == "resources/subscribe", let id = message["id"] {
            let answer: JSONValue =
                refuseSubscriptions
                ? ["jsonrpc": "2.0", "id": id, "error": ["code": -32601, "message": "no subscriptions here (scripted)"]]
                : ["jsonrpc": "2.0", "id": id, "result": [:]]
            continuation.yield(.message(answer))
            return
        }
        guard message["method"] == "initialize", let id = message["id"] else { return }
        let result: JSONValue = [
            "protocolVersion": "2025-06-18", "capabilities": ["tools": [:]], "serverInfo": ["name": "scripted", "version": "1"],
        ]
        continuation.yield(.message(["jsonrpc": "2.0", "id": id, "result": result]))
    }

    func close() async {
        continuation.yield(.closed(MCPTransportError(.closed, "closed by the test")))
        continuation.finish()
    }
}

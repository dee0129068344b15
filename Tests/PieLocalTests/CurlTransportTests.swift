import Synchronization
import Testing
@testable import PieLocal
import PieTestSupport

@Suite struct CurlTransportTests {
    let transport: CurlTransport

    init() throws {
        transport = try CurlTransport()
    }

    @Test func deliversChunksAsTheyArriveWithoutBuffering() async throws {
        let gate = ScriptGate()
        let server = try ScriptedServer([Script(steps: [
            .send(Array((HTTPResponses.chunkedSSEHead + HTTPResponses.chunk("data: 1\n\n")).utf8)),
            .wait(gate),
            .send(Array((HTTPResponses.chunk("data: 2\n\n") + HTTPResponses.lastChunk).utf8)),
        ])])
        let bodies = Mutex<[String]>([])
        try await transport.send(HTTPRequest(url: server.baseURL + "/x")) { head in
            #expect(head.status == 200)
            #expect(head.headers["content-type"] == "text/event-stream")
        } onBody: { bytes in
            bodies.withLock { $0.append(String(decoding: bytes, as: UTF8.self)) }
            gate.open()
            return true
        }
        let received = bodies.withLock { $0 }
        #expect(gate.openedByTest, "the first chunk must reach the caller while the server still holds the second")
        #expect(received.first?.contains("data: 1") == true)
        #expect(received.first?.contains("data: 2") == false)
        #expect(received.joined().contains("data: 2"))
    }

    @Test func reusesTheConnectionForConsecutiveRequests() async throws {
        let body = HTTPResponses.json("{}", keepAlive: true)
        let server = try ScriptedServer([Script(steps: [.send(Array(body.utf8))], keepAlive: true)])
        for _ in 0..<3 {
            try await transport.send(HTTPRequest(url: server.baseURL + "/x", body: Array("{}".utf8))) { _ in } onBody: { _ in true }
        }
        let connections = Set(server.requests.map(\.connectionID))
        #expect(server.requests.count == 3)
        #expect(connections.count == 1)
    }

    /// How fast cancellation lands is measured by `make bench`; here: it lands at all, while the
    /// server still holds the rest of the response, and nothing after the cancel is delivered.
    @Test func cancellingTheTaskStopsTheTransfer() async throws {
        let gate = ScriptGate()
        let server = try ScriptedServer([Script(steps: [
            .send(Array((HTTPResponses.chunkedSSEHead + HTTPResponses.chunk("data: 1\n\n")).utf8)),
            .wait(gate),
            .send(Array((HTTPResponses.chunk("data: 2\n\n") + HTTPResponses.lastChunk).utf8)),
        ])])
        let firstChunk = AsyncStream<Void>.makeStream()
        let bodies = Mutex<[String]>([])
        let task = Task {
            try await transport.send(HTTPRequest(url: server.baseURL + "/x")) { _ in } onBody: { bytes in
                bodies.withLock { $0.append(String(decoding: bytes, as: UTF8.self)) }
                firstChunk.continuation.yield()
                return true
            }
        }
        var iterator = firstChunk.stream.makeAsyncIterator()
        await iterator.next()
        task.cancel()
        let result = await task.result
        gate.open()
        #expect(throws: ProviderError.cancelled) { try result.get() }
        #expect(bodies.withLock { $0 }.joined().contains("data: 2") == false)
    }

    @Test func disconnectMidStreamIsAConnectionLoss() async throws {
        let server = try ScriptedServer([Script(steps: [
            .send(Array((HTTPResponses.chunkedSSEHead + HTTPResponses.chunk("data: 1\n\n")).utf8)), .disconnect,
        ])])
        do {
            try await transport.send(HTTPRequest(url: server.baseURL + "/x")) { _ in } onBody: { _ in true }
            Issue.record("expected a failure")
        } catch let error as ProviderError {
            guard case .connectionLost = error else { Issue.record("got \(error)"); return }
            #expect(error.isRetryable)
        }
    }

    @Test func refusedConnectionNamesTheURL() async throws {
        let server = try ScriptedServer([])
        let url = server.baseURL + "/x"
        server.stop()
        do {
            try await transport.send(HTTPRequest(url: url)) { _ in } onBody: { _ in true }
            Issue.record("expected a failure")
        } catch let error as ProviderError {
            guard case .connect(let failedURL, _) = error else { Issue.record("got \(error)"); return }
            #expect(failedURL == url)
            #expect(error.isRetryable)
        }
    }

    @Test func requestTimeoutIsReported() async throws {
        let server = try ScriptedServer([Script(steps: [.delay(milliseconds: 2_000)])])
        let quick = try CurlTransport(configuration: .init(requestTimeoutMilliseconds: 100))
        await #expect(throws: ProviderError.timeout(milliseconds: 100)) {
            try await quick.send(HTTPRequest(url: server.baseURL + "/x")) { _ in } onBody: { _ in true }
        }
    }
}

import Synchronization
import Testing
@testable import PieLocal

@Suite struct CurlTransportTests {
    let transport = CurlTransport()

    @Test func deliversChunksAsTheyArriveWithoutBuffering() async throws {
        let server = try ScriptedServer([Script(steps: [
            .send(Array((HTTPResponses.chunkedSSEHead + HTTPResponses.chunk("data: 1\n\n")).utf8)),
            .delay(milliseconds: 150),
            .send(Array((HTTPResponses.chunk("data: 2\n\n") + HTTPResponses.lastChunk).utf8)),
        ])])
        let clock = ContinuousClock()
        let start = clock.now
        let arrivals = Mutex<[Duration]>([])
        try await transport.send(HTTPRequest(url: server.baseURL + "/x")) { head in
            #expect(head.status == 200)
            #expect(head.headers["content-type"] == "text/event-stream")
        } onBody: { _ in
            arrivals.withLock { $0.append(clock.now - start) }
            return true
        }
        let times = arrivals.withLock { $0 }
        #expect(times.count == 2)
        #expect(times.first.map { $0 < .milliseconds(120) } == true, "first chunk must not wait for the second")
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

    @Test func cancellingTheTaskStopsTheTransferWithin100ms() async throws {
        let server = try ScriptedServer([Script(steps: [
            .send(Array((HTTPResponses.chunkedSSEHead + HTTPResponses.chunk("data: 1\n\n")).utf8)),
            .delay(milliseconds: 5_000),
        ])])
        let firstChunk = AsyncStream<Void>.makeStream()
        let task = Task {
            try await transport.send(HTTPRequest(url: server.baseURL + "/x")) { _ in } onBody: { _ in
                firstChunk.continuation.yield()
                return true
            }
        }
        var iterator = firstChunk.stream.makeAsyncIterator()
        await iterator.next()
        let clock = ContinuousClock()
        let start = clock.now
        task.cancel()
        let result = await task.result
        let elapsed = clock.now - start
        #expect(elapsed < .milliseconds(100), "took \(elapsed)")
        #expect(throws: ProviderError.cancelled) { try result.get() }
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
        let quick = CurlTransport(configuration: .init(requestTimeoutMilliseconds: 100))
        await #expect(throws: ProviderError.timeout(milliseconds: 100)) {
            try await quick.send(HTTPRequest(url: server.baseURL + "/x")) { _ in } onBody: { _ in true }
        }
    }
}

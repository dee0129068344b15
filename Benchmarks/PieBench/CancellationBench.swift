import Glibc
import PieLocal
import Synchronization

/// Cancellation latency (target < 100 ms): a turn streaming from a slow loopback server (one
/// event every 10 ms, never finishing) is cancelled mid-stream; measured from `Task.cancel()` to
/// `ModelClient.run` returning, and to the server seeing the connection closed (the transfer
/// really stopped, not just abandoned).
enum CancellationBench {
    static let runs = 20

    /// When the slow server saw its client go away, and how many events the client had received.
    private final class Observations: Sendable {
        let closedAt = Mutex<UInt64?>(nil)
        let events = Mutex(0)
    }

    static func run() async throws {
        guard let listener = LoopbackListener() else {
            print("cancel: failed: cannot listen on 127.0.0.1")
            return
        }
        let model = ModelDescriptor(id: "slow", api: .openAICompletions, provider: "bench", baseURL: listener.baseURL)
        let client = ModelClient(transport: try CurlTransport())
        var toReturn: [Double] = []
        var toClose: [Double] = []
        for _ in 0..<runs {
            let observations = Observations()
            let server = listener.descriptor
            BackgroundThread.start { serveSlowStream(listener: server, observations: observations) }
            let turn = Task {
                await client.run(ChatRequest(messages: [.user("stream slowly")]), chain: FallbackChain(primary: model), apiKey: { _ in nil }) { event in
                    if case .textDelta = event { observations.events.withLock { $0 += 1 } }
                }
            }
            var waited = 0
            while observations.events.withLock({ $0 }) < 5 && waited < 5_000 {
                try await Task.sleep(for: .milliseconds(5))
                waited += 5
            }
            let cancelled = monotonicNanos()
            turn.cancel()
            _ = await turn.value
            toReturn.append(Double(monotonicNanos() - cancelled) / 1e6)
            for _ in 0..<200 where observations.closedAt.withLock({ $0 }) == nil {
                try await Task.sleep(for: .milliseconds(5))
            }
            if let closed = observations.closedAt.withLock({ $0 }) {
                toClose.append(Double(Int64(bitPattern: closed &- cancelled)) / 1e6)
            }
        }
        let returned = Summary(toReturn)
        let closed = Summary(toClose)
        print("cancel: Task.cancel() -> ModelClient.run returns: median \(format(returned.median, 3)) ms, p90 \(format(returned.p90, 3)) ms (n=\(toReturn.count))")
        print("cancel: Task.cancel() -> server sees connection closed: median \(format(closed.median, 3)) ms, p90 \(format(closed.p90, 3)) ms (n=\(toClose.count) of \(runs))")
    }

    /// Accepts one connection and streams text deltas every 10 ms until the client closes it.
    private static func serveSlowStream(listener: Int32, observations: Observations) {
        guard LoopbackListener.readable(listener, timeoutMs: 5_000) else { return }
        guard let connection = LoopbackListener.acceptConnection(listener) else { return }
        defer { close(connection) }
        _ = LoopbackListener.readRequest(connection, timeoutMs: 2_000)
        guard LoopbackListener.send(connection, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n")
        else { return }
        var index = 0
        while true {
            if LoopbackListener.readable(connection, timeoutMs: 10) {
                var byte: UInt8 = 0
                if recv(connection, &byte, 1, 0) <= 0 { break }
            }
            let event = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\(index) \"},\"finish_reason\":null}]}\n\n"
            if !LoopbackListener.send(connection, event) { break }
            index += 1
        }
        let now = monotonicNanos()
        observations.closedAt.withLock { $0 = now }
    }
}

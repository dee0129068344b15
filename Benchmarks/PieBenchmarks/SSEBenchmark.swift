import PieLocal
/// Measurements for `make bench` (called by the PieBench executable): decode-and-normalise
/// throughput over an in-memory recorded stream, and the latency the client adds between an
/// event's bytes being written to a loopback socket and the event reaching the caller.
public enum SSEBenchmark {
    public struct Throughput: Sendable, Hashable {
        public var bytes: Int
        public var events: Int
        public var seconds: Double
        public var megabytesPerSecond: Double { seconds > 0 ? Double(bytes) / 1_000_000 / seconds : 0 }
    }

    public struct Latency: Sendable, Hashable {
        /// Per-event added latency in microseconds, sorted ascending.
        public var microseconds: [Double]
        public var median: Double { percentile(0.5) }
        public var p99: Double { percentile(0.99) }

        public func percentile(_ fraction: Double) -> Double {
            guard !microseconds.isEmpty else { return 0 }
            let index = min(microseconds.count - 1, Int(Double(microseconds.count - 1) * fraction))
            return microseconds[index]
        }
    }

    /// Delta payloads typical of a local coding model: text, reasoning and tool arguments.
    private static let deltas = [
        "{\"content\":\"The quick brown fox jumps over the lazy dog; \"},\"finish_reason\":null}]}",
        "{\"reasoning_content\":\"Considering the file layout before editing, \"},\"finish_reason\":null}]}",
        "{\"content\":\"let value = compute(\\\"input\\\", 42)\\n\"},\"finish_reason\":null}]}",
        "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"path\\\": \\\"Sources/main.swift\\\", \\\"line\\\": 12}\"}}]},\"finish_reason\":null}]}",
    ]

    /// A Chat Completions stream of about `targetBytes` as a local server sends it, one
    /// `data:` event per delta, ending in `[DONE]`.
    public static func recordedStream(targetBytes: Int = 50_000_000) -> [UInt8] {
        let prefix = "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
            + "\"model\":\"qwen3-coder\",\"choices\":[{\"index\":0,\"delta\":"
        let opening = "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\","
            + "\"type\":\"function\",\"function\":{\"name\":\"edit\",\"arguments\":\"\"}}]}}]}\n\n"
        var stream: [UInt8] = []
        stream.reserveCapacity(targetBytes + 512)
        stream.append(contentsOf: Array(opening.utf8))
        let encoded = deltas.map { Array((prefix + $0 + "\n\n").utf8) }
        var index = 0
        while stream.count < targetBytes {
            stream.append(contentsOf: encoded[index % encoded.count])
            index += 1
        }
        stream.append(contentsOf: Array("data: [DONE]\n\n".utf8))
        return stream
    }

    /// Feeds `stream` through the SSE decoder and the Chat Completions normaliser in
    /// `chunkSize` pieces, as the transport would deliver them.
    public static func throughput(stream: [UInt8], chunkSize: Int = 16_384) -> Throughput {
        let clock = ContinuousClock()
        var events = 0
        let start = clock.now
        OpenAICompletions.replay(recorded: stream, chunkSize: chunkSize) { _ in events += 1 }
        return Throughput(bytes: stream.count, events: events, seconds: seconds(clock.now - start))
    }

    /// Streams `events` text deltas from a loopback server, one every `intervalMicroseconds`,
    /// through `CurlTransport` and the Chat Completions adapter, and measures each event's
    /// delay from the server's write to the caller's callback.
    public static func eventLatency(events: Int = 500, intervalMicroseconds: Int = 1_000) async throws -> Latency {
        let server = try LoopbackEventServer(events: events, intervalMicroseconds: intervalMicroseconds)
        let model = ModelDescriptor(id: "bench", api: .openAICompletions, provider: "bench", baseURL: server.baseURL)
        let clock = ContinuousClock()
        let arrivals = ArrivalLog(capacity: events)
        try await OpenAICompletions(transport: try CurlTransport()).stream(
            ChatRequest(messages: [.user("bench")]), model: model, apiKey: nil
        ) { event in
            if case .textDelta(let text) = event, let index = Int(text) { arrivals.record(index, at: clock.now) }
        }
        let sent = server.sendTimes()
        let received = arrivals.times()
        var samples: [Double] = []
        for (write, arrival) in zip(sent, received) {
            guard let write, let arrival else { continue }
            samples.append(seconds(arrival - write) * 1_000_000)
        }
        return Latency(microseconds: samples.sorted())
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

import PieBenchmarks
import PieLocal

/// Decoding plus Chat Completions normalisation over a recorded 50 MB stream (target ≥ 200 MB/s),
/// and the latency the client adds from an event's bytes on a loopback socket to the callback
/// (target median < 50 µs).
enum SSEBench {
    static func run() async throws {
        let stream = SSEBenchmark.recordedStream(targetBytes: 50_000_000)
        var rates: [Double] = []
        var events = 0
        for _ in 0..<5 {
            let result = SSEBenchmark.throughput(stream: stream, chunkSize: 16_384)
            rates.append(result.megabytesPerSecond)
            events = result.events
        }
        let summary = Summary(rates)
        print(
            "sse: throughput over \(stream.count / 1_000_000) MB (\(events) events), 16 KiB chunks: median \(format(summary.median, 1)) MB/s, min \(format(rates.min() ?? 0, 1)) MB/s (n=\(rates.count))"
        )

        let latency = try await SSEBenchmark.eventLatency(events: 500, intervalMicroseconds: 1_000)
        print(
            "sse: added latency socket write -> event: median \(format(latency.median, 1)) µs, p90 \(format(latency.percentile(0.9), 1)) µs, p99 \(format(latency.p99, 1)) µs (n=\(latency.microseconds.count))"
        )
    }
}

import PieBenchmarks
import Testing

@Suite struct SSEBenchmarkTests {
    @Test func throughputDecodesEveryEvent() {
        let stream = SSEBenchmark.recordedStream(targetBytes: 200_000)
        let result = SSEBenchmark.throughput(stream: stream, chunkSize: 1_000)
        #expect(result.bytes == stream.count)
        // Each recorded chunk yields one event; the tool call adds start, end, and the stop.
        let chunks = stream.split(separator: 0x0A, omittingEmptySubsequences: true).count
        #expect(result.events >= chunks - 1)
        #expect(result.megabytesPerSecond > 0)
    }

    @Test func latencyIsMeasuredForEveryEvent() async throws {
        let result = try await SSEBenchmark.eventLatency(events: 20, intervalMicroseconds: 2_000)
        #expect(result.microseconds.count == 20)
        #expect(result.median > 0)
        #expect(result.median < 50_000)
    }
}

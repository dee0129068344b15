import Testing

import PieAgent
import PieBenchmarks

@Suite struct SessionBenchmarkTests {
    /// Correctness of the bench fixture; the 150 ms target is checked by PieBench in its own build,
    /// so this only prints the debug-build time.
    @Test func resumesATenThousandEntrySession() throws {
        let dir = try TemporaryDirectory()
        let path = try SessionBenchmark.writeSession(entryCount: 10_000, in: dir.path)
        let result = try SessionBenchmark.measureResume(path: path)
        #expect(result.entries == 10_000)
        #expect(result.pathLength == 10_000)
        #expect(result.contextItems == 10_000)
        #expect(result.cpuMilliseconds > 0)
        print("resume of 10,000 entries (\(result.bytes) bytes): \(result.milliseconds) ms wall, \(result.cpuMilliseconds) ms CPU")
    }

    @Test func oneCallBenchmarkCleansUpAfterItself() throws {
        let results = try SessionBenchmark.runResume(entryCount: 300, runs: 2)
        #expect(results.map(\.entries) == [300, 300])
        #expect(results.allSatisfy { $0.contextItems == 300 && $0.milliseconds > 0 })
    }
}

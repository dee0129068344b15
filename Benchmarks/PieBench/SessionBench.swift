import PieAgent
import PieBenchmarks

/// Resuming a 10,000-entry session: read, parse, build the tree, replay the context (target
/// < 150 ms). Wall and thread-CPU time both, since the machine is shared.
enum SessionBench {
    static func run() async throws {
        let results = try SessionBenchmark.runResume(entryCount: 10_000, runs: 7)
        guard let first = results.first else { return }
        let wall = Summary(results.map(\.milliseconds))
        let cpu = Summary(results.map(\.cpuMilliseconds))
        print(
            "session: resume \(first.entries) entries (\(first.bytes / 1_000_000) MB, context \(first.contextItems) items): median \(format(wall.median)) ms, p90 \(format(wall.p90)) ms, cpu median \(format(cpu.median)) ms (n=\(results.count))"
        )
    }
}

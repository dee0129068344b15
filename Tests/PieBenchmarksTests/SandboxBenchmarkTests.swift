import Foundation
import PieBenchmarks
import PieSandbox
import Testing

@Suite("Sandbox benchmarks") struct SandboxBenchmarkTests {
    static let environment = ["PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": "/root", "LANG": "C.UTF-8"]

    @Test func benchmarksMeasureEveryVariant() async throws {
        let probe = await BubblewrapProbe().check(environment: Self.environment)
        #expect(probe == .available(bwrap: "/usr/bin/bwrap"), "bubblewrap + seccomp are required: \(probe)")
        let project = try TemporaryDirectory()
        let spawns = await SandboxBenchmark.shellSpawn(iterations: 3, project: project.path, environment: Self.environment)
        #expect(spawns.map { $0.name.prefix { $0 != ":" } } == ["host", "bare", "isolation only", "bwrap", "cold", "sandboxed"])
        #expect(spawns.allSatisfy { $0.iterations == 3 && $0.medianMs > 0 })
        let reads = SandboxBenchmark.fileRead(iterations: 3, directory: project.path)
        #expect(reads.map(\.name) == ["plain open+read of 1 MB", "ConfinedFileOperations.read of 1 MB"])
    }
}

import Testing

@testable import PieSandbox

@Suite("Doctor and benchmarks") struct DoctorAndBenchTests {
    @Test func doctorReportsThisMachine() async throws {
        try await requireSandbox()
        let report = await SandboxDoctor.run(environment: TestPolicy.environment, services: SandboxServices())
        #expect(report.forceWorks)
        #expect(report.autoMode.hasPrefix("bwrap"))
        #expect(report.seccompWorks)
        #expect(report.openat2)
        #expect(report.lines.contains { $0.hasPrefix("bubblewrap: /usr/bin/bwrap (bubblewrap ") })
        #expect(report.warmInit?.hasSuffix("/pie-sandbox-init") == true)
    }

    @Test func benchmarksMeasureEveryVariant() async throws {
        try await requireSandbox()
        let project = try Scratch()
        let spawns = await SandboxBenchmark.shellSpawn(iterations: 3, project: project.path, environment: TestPolicy.environment)
        #expect(spawns.map { $0.name.prefix { $0 != ":" } } == ["host", "bare", "isolation only", "bwrap", "cold", "sandboxed"])
        #expect(spawns.allSatisfy { $0.iterations == 3 && $0.medianMs > 0 })
        let reads = SandboxBenchmark.fileRead(iterations: 3, directory: project.path)
        #expect(reads.map(\.name) == ["plain open+read of 1 MB", "ConfinedFileOperations.read of 1 MB"])
    }
}

import Testing

@testable import PieSandbox

@Suite("Doctor") struct DoctorAndBenchTests {
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
}

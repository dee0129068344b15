import Glibc
import PiePolicy
import Testing

@testable import PieSandbox

/// Two shells of one process (a probe and a run in one `pie-serve`) in one project at once: each
/// masks the project's missing protected paths with a placeholder bwrap creates. Neither may bind
/// the other's placeholder as if it were a real file, or it fails with "Can't find source path"
/// when the other run deletes it.
@Suite("Concurrent sandboxes share placeholders")
struct ConcurrentPlaceholderTests {
    @Test("forty overlapping commands in one project all run, and no placeholder is left behind", arguments: SandboxStart.allCases)
    func overlappingCommandsInOneProject(_ start: SandboxStart) async throws {
        try await requireSandbox()
        let project = try Scratch()
        let services = SandboxServices()
        let policy = TestPolicy.tool(project: project.path)
        let shells = (0..<2).map { _ in
            var shell = SandboxedShell(
                policy: policy, environment: TestPolicy.environment, limits: TestPolicy.strictLimits, services: services)
            shell.warm = start == .warm ? Fixture.warmSandboxes : nil
            return shell
        }
        let results = try await withThrowingTaskGroup(of: (Int32?, String, warm: Bool).self) { group in
            for index in 0..<40 {
                group.addTask {
                    let (outcome, output) = try await runShell(
                        shells[index % 2], "head -c 200000 /dev/zero | wc -c", cwd: project.path)
                    return (outcome.exitCode, output, outcome.servedWarm)
                }
            }
            var all: [(Int32?, String, warm: Bool)] = []
            for try await result in group { all.append(result) }
            return all
        }
        #expect(results.count == 40)
        if start == .warm { #expect(results.contains { $0.warm }, "no command was served warm") }
        for (exitCode, output, _) in results {
            #expect(exitCode == 0 && output.contains("200000"), "\(output)")
        }
        for name in [".pie", ".vscode", ".mcp.json", ".bashrc"] {
            #expect(!project.exists(name), "placeholder \(name) was left behind")
        }
    }
}

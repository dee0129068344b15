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
    @Test("forty overlapping commands in one project all run, and no placeholder is left behind")
    func overlappingCommandsInOneProject() async throws {
        try await requireSandbox()
        let project = try Scratch()
        let services = SandboxServices()
        let policy = TestPolicy.tool(project: project.path)
        let shells = (0..<2).map { _ in
            SandboxedShell(policy: policy, environment: TestPolicy.environment, limits: TestPolicy.strictLimits, services: services)
        }
        let results = try await withThrowingTaskGroup(of: (Int32?, String).self) { group in
            for index in 0..<40 {
                group.addTask {
                    let (outcome, output) = try await runShell(
                        shells[index % 2], "head -c 200000 /dev/zero | wc -c", cwd: project.path)
                    return (outcome.exitCode, output)
                }
            }
            var all: [(Int32?, String)] = []
            for try await result in group { all.append(result) }
            return all
        }
        #expect(results.count == 40)
        for (exitCode, output) in results {
            #expect(exitCode == 0 && output.contains("200000"), "\(output)")
        }
        for name in [".pie", ".vscode", ".mcp.json", ".bashrc"] {
            #expect(!project.exists(name), "placeholder \(name) was left behind")
        }
    }
}

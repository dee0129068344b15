import Foundation
import PiePolicy
import Testing

@testable import PieSandbox

@Suite("SandboxedShell") struct ShellTests {
    @Test func hostModeRunsAndStreamsInterleavedOutput() async throws {
        let project = try Scratch()
        let shell = SandboxedShell(policy: TestPolicy.tool(project: project.path, mode: .off), environment: TestPolicy.environment)
        let (outcome, output) = try await runShell(shell, "echo out; echo err >&2; exit 7", cwd: project.path)
        #expect(outcome.exitCode == 7)
        #expect(outcome.sandbox == .host)
        #expect(outcome.warnings.isEmpty)
        #expect(output == "out\nerr\n")
    }

    @Test func environmentIsScrubbedAndMarked() async throws {
        let project = try Scratch()
        let shell = SandboxedShell(policy: TestPolicy.tool(project: project.path, mode: .off), environment: TestPolicy.environment)
        let (_, output) = try await runShell(shell, "env", cwd: project.path)
        #expect(!output.contains("SECRETVALUE"))
        #expect(!output.contains("GITHUB_TOKEN"))
        #expect(output.contains("PATH=/usr/local/bin:/usr/bin:/bin"))
        #expect(output.contains("PIE_SPAWN_ID="))
    }

    @Test func bubblewrapModeRunsInsideTheSandbox() async throws {
        try await requireSandbox()
        let project = try Scratch()
        let shell = SandboxedShell(policy: TestPolicy.tool(project: project.path), environment: TestPolicy.environment)
        let (outcome, output) = try await runShell(
            shell, "echo hi > made.txt && cat made.txt && echo $$ && pwd", cwd: project.path)
        #expect(outcome.exitCode == 0)
        #expect(outcome.sandbox == .bwrap)
        let lines = output.split(separator: "\n")
        #expect(lines.first == "hi")
        #expect(Int(lines[1]) ?? 99 < 10, "the shell runs in a fresh PID namespace: \(output)")
        #expect(lines.last.map(String.init) == project.path)
        #expect(project.read("made.txt") == "hi\n")
    }

    @Test func timeoutKillsTheWholeTreeOnTheHost() async throws {
        let project = try Scratch()
        let marker = uniqueMarker()
        let shell = SandboxedShell(policy: TestPolicy.tool(project: project.path, mode: .off), environment: TestPolicy.environment)
        let started = Date()
        let (outcome, _) = try await runShell(
            shell, "sleep 1\(marker) & sleep 1\(marker); wait", cwd: project.path, timeoutMs: 300)
        #expect(outcome.timedOut)
        #expect(outcome.signal == SIGKILL)
        // Generous: under a loaded parallel test run the cooperative pool itself can lag seconds.
        #expect(Date().timeIntervalSince(started) < 8)
        #expect(await survivors(withMarker: "1\(marker)").isEmpty)
    }

    @Test func timeoutKillsTheWholeTreeInBubblewrap() async throws {
        try await requireSandbox()
        let project = try Scratch()
        let marker = uniqueMarker()
        let shell = SandboxedShell(policy: TestPolicy.tool(project: project.path), environment: TestPolicy.environment)
        let (outcome, _) = try await runShell(
            shell, "sleep 1\(marker) & (setsid sleep 1\(marker) &) ; sleep 1\(marker); wait", cwd: project.path,
            timeoutMs: 500)
        #expect(outcome.timedOut)
        #expect(await survivors(withMarker: "1\(marker)").isEmpty)
    }

    @Test func backgroundJobsDoNotOutliveTheCommand() async throws {
        let project = try Scratch()
        let marker = uniqueMarker()
        let shell = SandboxedShell(policy: TestPolicy.tool(project: project.path, mode: .off), environment: TestPolicy.environment)
        let (outcome, _) = try await runShell(shell, "sleep 2\(marker) > /dev/null 2>&1 & echo started", cwd: project.path)
        #expect(outcome.exitCode == 0)
        #expect(await survivors(withMarker: "2\(marker)").isEmpty)
    }

    @Test func cancellationKillsTheTree() async throws {
        try await requireSandbox()
        let project = try Scratch()
        let marker = uniqueMarker()
        let shell = SandboxedShell(policy: TestPolicy.tool(project: project.path), environment: TestPolicy.environment)
        let task = Task {
            try await runShell(shell, "sleep 3\(marker) & sleep 3\(marker); wait", cwd: project.path, timeoutMs: 60_000)
        }
        try await Task.sleep(for: .milliseconds(400))
        task.cancel()
        let (outcome, _) = try await task.value
        #expect(outcome.cancelled)
        #expect(await survivors(withMarker: "3\(marker)").isEmpty)
    }

    @Test func forceModeWithoutBubblewrapSaysWhatIsMissing() async throws {
        let project = try Scratch()
        var environment = TestPolicy.environment
        environment["PATH"] = "/nonexistent"
        // Only meaningful where /usr/bin/bwrap is absent; elsewhere check the locate contract.
        if BubblewrapProbe.locate(environment: environment) == nil {
            let shell = SandboxedShell(policy: TestPolicy.tool(project: project.path), environment: environment)
            await #expect(throws: ShellError.self) { try await runShell(shell, "true", cwd: project.path) }
        } else {
            #expect(BubblewrapProbe.locate(environment: environment) == "/usr/bin/bwrap")
        }
    }

    @Test func launcherTemplateWrapsTheCommand() async throws {
        let project = try Scratch()
        let shell = SandboxedShell(
            policy: TestPolicy.tool(project: project.path, launcher: "env LAUNCHED=yes {shell} -c {command}"),
            environment: TestPolicy.environment)
        let (outcome, output) = try await runShell(shell, "echo \"$LAUNCHED with spaces\"", cwd: project.path)
        #expect(outcome.sandbox == .launcher)
        #expect(output == "yes with spaces\n")
    }

    @Test func hugeOutputIsCutOffAndKilled() async throws {
        try await requireSandbox()
        let project = try Scratch()
        let shell = SandboxedShell(policy: TestPolicy.tool(project: project.path), environment: TestPolicy.environment)
        let (outcome, output) = try await runShell(shell, "yes", cwd: project.path)
        #expect(outcome.warnings.contains { $0.contains("output exceeded") })
        #expect(output.utf8.count <= shell.outputLimitBytes)
        #expect(!outcome.timedOut)
    }
}

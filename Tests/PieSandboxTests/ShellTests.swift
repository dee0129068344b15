import Foundation
import PiePolicy
import Testing

@testable import PieSandbox

@Suite("SandboxedShell") struct ShellTests {
    @Test func hostModeRunsAndStreamsInterleavedOutput() async throws {
        let project = try Scratch()
        let shell = testShell(project, mode: .off)
        let (outcome, output) = try await runShell(shell, "echo out; echo err >&2; exit 7", cwd: project.path)
        #expect(outcome.exitCode == 7)
        #expect(outcome.sandbox == .host)
        #expect(outcome.warnings.isEmpty)
        #expect(output == "out\nerr\n")
    }

    @Test func environmentIsScrubbedAndMarked() async throws {
        let project = try Scratch()
        let shell = testShell(project, mode: .off)
        let (_, output) = try await runShell(shell, "env", cwd: project.path)
        #expect(!output.contains("SECRETVALUE"))
        #expect(!output.contains("GITHUB_TOKEN"))
        #expect(output.contains("PATH=/usr/local/bin:/usr/bin:/bin"))
        #expect(output.contains("PIE_SPAWN_ID="))
    }

    @Test func childInheritsOnlyStandardDescriptors() async throws {
        let project = try Scratch()
        let shell = testShell(project, mode: .off)
        // ls itself opens one descriptor for /proc/self/fd; everything else would be a leak.
        let (_, output) = try await runShell(shell, "ls /proc/self/fd", cwd: project.path)
        #expect(output.split(separator: "\n").map(String.init).sorted() == ["0", "1", "2", "3"])
    }

    @Test func missingWorkingDirectoryIsASpawnError() async throws {
        let project = try Scratch()
        let shell = testShell(project, mode: .off)
        await #expect {
            try await runShell(shell, "true", cwd: project.file("missing"))
        } throws: { error in
            let error = error as? ShellError
            return error?.kind == .spawnFailed && error?.message.contains("missing: No such file or directory") == true
        }
    }

    /// The child joins its pids cgroup itself, before exec, so even its first instruction is
    /// counted; without a cgroup (non-root) RLIMIT_NPROC is the cap instead.
    @Test func commandStartsInsideItsPidsCgroupOrUnderAProcessLimit() async throws {
        let project = try Scratch()
        let shell = testShell(project, mode: .off)
        let (outcome, output) = try await runShell(
            shell, "echo id=$PIE_SPAWN_ID; cat /proc/self/cgroup; grep 'Max processes' /proc/self/limits",
            cwd: project.path)
        #expect(outcome.exitCode == 0)
        let lines = output.split(separator: "\n")
        let id = try #require(lines.first { $0.hasPrefix("id=") }).dropFirst(3)
        let inCgroup = lines.contains { $0.contains("/pie-\(id)") }
        let processLimit = lines.first { $0.hasPrefix("Max processes") }?.split(separator: " ").dropFirst(2).first
        if getuid() == 0 {
            #expect(inCgroup, "root has no RLIMIT_NPROC, so the cgroup must hold: \(output)")
        } else {
            #expect(inCgroup || processLimit != "unlimited", "\(output)")
        }
    }

    @Test func secretsInOutputAreRedactedEvenAcrossChunks() async throws {
        let project = try Scratch()
        let shell = testShell(project, mode: .off)
        let (_, output) = try await runShell(
            shell, "echo key=sk-test-SECRETVALUE-123456; printf 'ghp_secret'; sleep 0.2; printf 'tokenvalue done\\n'",
            cwd: project.path)
        #expect(output == "key=[REDACTED]\n[REDACTED] done\n")
    }

    @Test func bubblewrapModeRunsInsideTheSandbox() async throws {
        try await requireSandbox()
        let project = try Scratch()
        let shell = testShell(project)
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
        let shell = testShell(project, mode: .off)
        let (outcome, _) = try await runShell(
            shell, "sleep 1\(marker) & sleep 1\(marker); wait", cwd: project.path, timeoutMs: 300)
        #expect(outcome.timedOut)
        #expect(outcome.signal == SIGKILL)
        #expect(await survivors(withMarker: "1\(marker)").isEmpty)
    }

    @Test func timeoutKillsTheWholeTreeInBubblewrap() async throws {
        try await requireSandbox()
        let project = try Scratch()
        let marker = uniqueMarker()
        let shell = testShell(project)
        let (outcome, _) = try await runShell(
            shell, "sleep 1\(marker) & (setsid sleep 1\(marker) &) ; sleep 1\(marker); wait", cwd: project.path,
            timeoutMs: 500)
        #expect(outcome.timedOut)
        #expect(await survivors(withMarker: "1\(marker)").isEmpty)
    }

    @Test func backgroundJobsDoNotOutliveTheCommand() async throws {
        let project = try Scratch()
        let marker = uniqueMarker()
        let shell = testShell(project, mode: .off)
        let (outcome, _) = try await runShell(shell, "sleep 2\(marker) > /dev/null 2>&1 & echo started", cwd: project.path)
        #expect(outcome.exitCode == 0)
        #expect(await survivors(withMarker: "2\(marker)").isEmpty)
    }

    @Test func cancellationKillsTheTree() async throws {
        try await requireSandbox()
        let project = try Scratch()
        let marker = uniqueMarker()
        let shell = testShell(project)
        // The gate: the command prints a line once its background child is forked, and the test
        // cancels only after reading it, so the kill is proven on a tree that really runs.
        let (started, gate) = AsyncStream<Void>.makeStream()
        let task = Task {
            defer { gate.finish() }
            return try await runShell(
                shell, "sleep 3\(marker) & echo started; sleep 3\(marker); wait", cwd: project.path, timeoutMs: 60_000
            ) { output in
                if output.contains("started\n") { gate.yield() }
            }
        }
        var sawStart = false
        for await _ in started {
            sawStart = true
            break
        }
        task.cancel()
        let (outcome, output) = try await task.value
        #expect(sawStart, "the command never started: \(output)")
        #expect(outcome.cancelled)
        #expect(await survivors(withMarker: "3\(marker)").isEmpty)
    }

    static let missing = BubblewrapProbe.Result.unavailable(
        reason: "bubblewrap (bwrap) is not installed; \(BubblewrapProbe.installHint)")

    @Test func autoModeFallsBackToTheHostWithAWarning() async throws {
        let project = try Scratch()
        var shell = testShell(project, mode: .auto)
        shell.availability = { _ in Self.missing }
        let (outcome, output) = try await runShell(shell, "echo ran", cwd: project.path)
        #expect(output == "ran\n")
        #expect(outcome.sandbox == .host)
        #expect(outcome.warnings == [
            "os sandbox unavailable (bubblewrap (bwrap) is not installed; install it with "
                + "`apt-get install bubblewrap libseccomp-dev`); the command ran on the host without isolation"
        ])
    }

    @Test func forceModeWithoutBubblewrapSaysWhatIsMissing() async throws {
        let project = try Scratch()
        var shell = testShell(project, mode: .force)
        shell.availability = { _ in Self.missing }
        let marker = project.file("ran")
        await #expect {
            try await runShell(shell, "touch \(marker)", cwd: project.path)
        } throws: { error in
            let error = error as? ShellError
            return error?.kind == .sandboxUnavailable
                && error?.message.contains("apt-get install bubblewrap libseccomp-dev") == true
        }
        #expect(!project.exists("ran"))
    }

    @Test func locatePrefersTheDistributionBinary() {
        #expect(BubblewrapProbe.locate(environment: ["PATH": "/nonexistent"]) == "/usr/bin/bwrap")
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
        let shell = testShell(project)
        let (outcome, output) = try await runShell(shell, "yes", cwd: project.path)
        #expect(outcome.warnings.contains { $0.contains("output exceeded") })
        #expect(output.utf8.count <= shell.outputLimitBytes)
        #expect(!outcome.timedOut)
    }
}

import Foundation
import PiePolicy
import Testing

@testable import PieSandbox

/// Commands served by a long-lived sandbox: each still gets the isolation of a sandbox of its own
/// (fresh PID namespace and /proc, masks, no capabilities, seccomp, limits), the sandbox is only
/// reused while its plan holds, and nothing outlives a command.
@Suite struct WarmSandboxTests {
    /// A shell whose every command (from the first) runs in a warm sandbox of its own pool.
    func warmShell(_ project: Scratch, pool: WarmSandboxes? = nil, timeoutMs: Int = 10_000) -> SandboxedShell {
        var shell = SandboxedShell(
            policy: TestPolicy.tool(project: project.path, timeoutMs: timeoutMs), environment: TestPolicy.environment)
        shell.warm = pool ?? WarmSandboxes(initPath: WarmSandboxes.locateInit(), startAfterUses: 1)
        return shell
    }

    func requireInit() {
        #expect(WarmSandboxes.locateInit() != nil, "pie-sandbox-init is missing next to the test binary; run `swift build`")
    }

    @Test func commandsShareOneSandboxYetEachIsPidOneWithoutCapabilities() async throws {
        try await requireSandbox()
        requireInit()
        let project = try Scratch()
        let shell = warmShell(project)
        let probe = "echo pid=$$; readlink /proc/self/ns/net; "
            + "grep -E '^(CapEff|CapPrm|CapBnd|CapAmb|NoNewPrivs|Seccomp):' /proc/self/status | tr -s '\\t' ' '; "
            + "ls /proc | grep -c '^[0-9]'"
        let first = try await runShell(shell, probe, cwd: project.path)
        let second = try await runShell(shell, probe, cwd: project.path)
        #expect(first.outcome.sandbox == .bwrap && first.outcome.exitCode == 0)
        let lines = first.output.split(separator: "\n").map(String.init)
        #expect(lines.first == "pid=1")
        #expect(lines.contains("CapEff: 0000000000000000") && lines.contains("CapBnd: 0000000000000000"))
        #expect(lines.contains("CapPrm: 0000000000000000") && lines.contains("CapAmb: 0000000000000000"))
        #expect(lines.contains("NoNewPrivs: 1") && lines.contains("Seccomp: 2"))
        // Only the command's own processes are in its fresh /proc (bash, ls, grep at most).
        #expect(Int(lines.last ?? "") ?? 99 <= 3)
        // One network namespace for both: they ran in the same warm sandbox (a bubblewrap per
        // command would give each its own).
        #expect(lines.count > 1 && lines[1].hasPrefix("net:["))
        // Everything but the process count, which depends on whether `grep` had started when
        // `ls` read /proc.
        let secondLines = second.output.split(separator: "\n").map(String.init)
        #expect(secondLines.dropLast() == lines.dropLast())
        #expect(Int(secondLines.last ?? "") ?? 99 <= 3)
    }

    @Test func missingProtectedPathsAreMaskedPerCommandAndLeaveNothingBehind() async throws {
        try await requireSandbox()
        requireInit()
        let project = try Scratch()
        let shell = warmShell(project)
        _ = try await runShell(shell, "true", cwd: project.path)
        let (outcome, output) = try await runShell(
            shell, "mkdir .vscode 2>/dev/null && echo made; echo x > .mcp.json 2>/dev/null && echo wrote; ls -la .bashrc",
            cwd: project.path)
        #expect(outcome.sandbox == .bwrap)
        #expect(!output.contains("made") && !output.contains("wrote"))
        #expect(output.contains("1, 3"))  // /dev/null's device numbers: the mask, not a file
        #expect(!project.exists(".vscode") && !project.exists(".mcp.json") && !project.exists(".bashrc"))
    }

    /// The roots beneath /tmp are carried over onto each command's fresh /tmp with their protected
    /// paths, even where the path needs mountinfo's escapes (a space, a tab).
    @Test func rootsBeneathTmpKeepTheirProtectionOnTheFreshTmp() async throws {
        try await requireSandbox()
        requireInit()
        let project = try Scratch("pie sbx\tspace")
        try project.write(".git/hooks/README", "hooks")
        let shell = warmShell(project)
        for _ in 1...2 {
            let (outcome, output) = try await runShell(
                shell, "echo ok > file && cat file; touch .git/hooks/pre-commit 2>&1; echo rc=$?; pwd", cwd: project.path)
            #expect(outcome.exitCode == 0 && outcome.servedWarm)
            #expect(output == "ok\ntouch: cannot touch '.git/hooks/pre-commit': Read-only file system\nrc=1\n\(project.path)\n")
        }
        #expect(project.read("file") == "ok\n")
        #expect(!project.exists(".git/hooks/pre-commit"))
    }

    @Test func aChangedPlanGetsANewSandbox() async throws {
        try await requireSandbox()
        requireInit()
        let project = try Scratch()
        let shell = warmShell(project)
        let before = try await runShell(shell, "cat .env 2>&1; echo rc=$?", cwd: project.path)
        #expect(before.output.contains("No such file"))
        try project.write(".env", "API_KEY=hunter2\n")
        let after = try await runShell(shell, "cat .env 2>&1; echo rc=$?", cwd: project.path)
        #expect(!after.output.contains("hunter2"))
    }

    @Test func aReplacedProtectedDirectoryIsProtectedAgain() async throws {
        try await requireSandbox()
        requireInit()
        let project = try Scratch()
        try project.write(".git/hooks/README", "hooks")
        try project.write(".git/config", "[core]\n")
        let shell = warmShell(project)
        let first = try await runShell(shell, "touch .git/hooks/pre-commit 2>&1; echo rc=$?", cwd: project.path)
        #expect(first.output.contains("rc=1"))
        // Replaced on the host between commands: the old sandbox's mount went with the old inode.
        try FileManager.default.removeItem(atPath: project.file(".git/hooks"))
        try project.write(".git/hooks/README", "new hooks")
        let second = try await runShell(shell, "touch .git/hooks/pre-commit 2>&1; echo rc=$?", cwd: project.path)
        #expect(second.output.contains("rc=1"))
        #expect(!project.exists(".git/hooks/pre-commit"))
    }

    @Test func nothingOutlivesTheCommandOrItsTimeout() async throws {
        try await requireSandbox()
        requireInit()
        let project = try Scratch()
        let shell = warmShell(project, timeoutMs: 1_000)
        let marker = "pie-warm-survivor-\(UInt32.random(in: 0...UInt32.max))"
        _ = try await runShell(shell, "setsid sh -c 'exec -a \(marker) sleep 60' & disown; echo started", cwd: project.path)
        let timedOut = try await runShell(
            shell, "setsid sh -c 'exec -a \(marker) sleep 60' & sleep 30", cwd: project.path, timeoutMs: 1_000)
        #expect(timedOut.outcome.timedOut)
        let survivors = try await runShell(
            SandboxedShell(policy: TestPolicy.tool(project: project.path, mode: .off), environment: TestPolicy.environment),
            // The bracket keeps this shell's own command line from matching.
            "pgrep -f '[p]\(marker.dropFirst())' | wc -l", cwd: project.path)
        #expect(survivors.output == "0\n")
    }

    @Test func firstCommandIsColdUnlessTheSandboxWasPrepared() async throws {
        try await requireSandbox()
        requireInit()
        let project = try Scratch()
        var shell = testShell(project)
        shell.warm = WarmSandboxes(initPath: WarmSandboxes.locateInit())
        let cold = try await runShell(shell, "echo pid=$$", cwd: project.path)
        #expect(cold.output == "pid=2\n" && !cold.outcome.servedWarm)  // under bwrap's own init

        let other = try Scratch()
        var prepared = testShell(other)
        prepared.warm = WarmSandboxes(initPath: WarmSandboxes.locateInit())
        await prepared.prepareWarmSandbox()
        let warm = try await runShell(prepared, "echo pid=$$", cwd: other.path)
        // Started by the init, in a PID namespace of its own.
        #expect(warm.output == "pid=1\n" && warm.outcome.servedWarm)
    }

    /// Every command still runs, each in a bubblewrap of its own (pid 2, under bwrap's init); after
    /// `brokenLimit` failed sandboxes in a row the pool stops trying.
    @Test func aSandboxThatCannotStartFallsBackToABubblewrapPerCommand() async throws {
        try await requireSandbox()
        let project = try Scratch()
        let pool = WarmSandboxes(initPath: "/nonexistent/pie-sandbox-init", startAfterUses: 1)
        let shell = warmShell(project, pool: pool)
        for attempt in 1...(WarmSandboxes.brokenLimit + 1) {
            #expect(pool.isWarming == (attempt <= WarmSandboxes.brokenLimit))
            let (outcome, output) = try await runShell(shell, "echo hello; echo pid=$$", cwd: project.path)
            #expect(outcome.sandbox == .bwrap && outcome.exitCode == 0 && !outcome.servedWarm)
            #expect(output == "hello\npid=2\n")
        }
        #expect(!pool.isWarming)

        let working = WarmSandboxes(initPath: WarmSandboxes.locateInit(), startAfterUses: 1)
        for _ in 1...(WarmSandboxes.brokenLimit + 1) {
            let (_, output) = try await runShell(warmShell(project, pool: working), "echo pid=$$", cwd: project.path)
            #expect(output == "pid=1\n")
        }
        #expect(working.isWarming)
    }

    @Test func setupFailuresNameTheirStep() async throws {
        try await requireSandbox()
        requireInit()
        let project = try Scratch()
        let shell = warmShell(project)
        await #expect {
            try await runShell(shell, "true", cwd: project.file("missing-directory"))
        } throws: { error in
            (error as? ShellError)?.message.contains("cannot enter the working directory") == true
        }
    }
}

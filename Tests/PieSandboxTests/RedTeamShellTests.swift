import Foundation
import PiePolicy
import Testing

@testable import PieSandbox

/// File-system escapes through the sandboxed shell. Every case checks the host afterwards.
@Suite("Red team: shell file system") struct RedTeamShellFileTests {
    @Test(arguments: SandboxStart.allCases)
    func absoluteWriteOutsideTheRootsFails(_ start: SandboxStart) async throws {
        let fixture = try Fixture(start: start)
        let (outcome, output) = try await fixture.run("echo pwned > \(fixture.outside.file("secret.txt"))")
        #expect(outcome.exitCode != 0)
        #expect(output.contains("Read-only file system"))
        #expect(fixture.secretUnchanged)
    }

    @Test(arguments: SandboxStart.allCases)
    func writingIntoEtcFails(_ start: SandboxStart) async throws {
        let fixture = try Fixture(start: start)
        let marker = "/etc/pie-redteam-\(uniqueMarker())"
        let (_, output) = try await fixture.run("touch \(marker)")
        #expect(output.contains("Read-only file system"))
        #expect(access(marker, F_OK) != 0)
    }

    @Test(arguments: SandboxStart.allCases)
    func dotDotEscapeFails(_ start: SandboxStart) async throws {
        let fixture = try Fixture(start: start)
        let name = (fixture.outside.path as NSString).lastPathComponent
        let (_, output) = try await fixture.run(
            "echo pwned > ../../var/tmp/\(name)/secret.txt; echo pwned > ../../var/tmp/\(name)/new.txt")
        #expect(output.contains("Read-only file system"))
        #expect(fixture.secretUnchanged)
        #expect(fixture.outsideEntries() == ["secret.txt"])
    }

    @Test(arguments: SandboxStart.allCases)
    func symlinkedDirectoryEscapeFails(_ start: SandboxStart) async throws {
        let fixture = try Fixture(start: start)
        let (_, output) = try await fixture.run("ln -s \(fixture.outside.path) link && echo pwned > link/new.txt")
        #expect(output.contains("Read-only file system"))
        #expect(fixture.outsideEntries() == ["secret.txt"])
    }

    @Test(arguments: SandboxStart.allCases)
    func symlinkedLeafOverwriteFails(_ start: SandboxStart) async throws {
        let fixture = try Fixture(start: start)
        let (_, output) = try await fixture.run("ln -s \(fixture.outside.file("secret.txt")) leaf && echo pwned > leaf")
        #expect(output.contains("Read-only file system"))
        #expect(fixture.secretUnchanged)
    }

    @Test(arguments: SandboxStart.allCases)
    func procSelfRootEscapeFails(_ start: SandboxStart) async throws {
        let fixture = try Fixture(start: start)
        let (_, output) = try await fixture.run("echo pwned > /proc/self/root\(fixture.outside.file("secret.txt"))")
        #expect(output.contains("Read-only file system"))
        #expect(fixture.secretUnchanged)
    }

    @Test(arguments: SandboxStart.allCases)
    func creatingMissingGitHooksFails(_ start: SandboxStart) async throws {
        let fixture = try Fixture(start: start, gitRepository: false)
        let (outcome, output) = try await fixture.run("mkdir -p .git/hooks && echo x > .git/hooks/pre-commit")
        #expect(outcome.exitCode != 0)
        #expect(output.contains("File exists") || output.contains("Not a directory"), "\(output)")
        #expect(!fixture.project.exists(".git/hooks/pre-commit"))
        #expect(!fixture.project.exists(".git"), "the mask placeholder is removed after the run")
    }

    @Test(arguments: SandboxStart.allCases)
    func writingAnExistingHookFails(_ start: SandboxStart) async throws {
        let fixture = try Fixture(start: start)
        let (_, output) = try await fixture.run("echo 'curl evil' > .git/hooks/pre-commit")
        #expect(output.contains("Read-only file system"))
        #expect(!fixture.project.exists(".git/hooks/pre-commit"))
    }

    @Test(arguments: SandboxStart.allCases)
    func editingGitConfigFails(_ start: SandboxStart) async throws {
        let fixture = try Fixture(start: start)
        let (_, output) = try await fixture.run("echo '[core] fsmonitor = evil' >> .git/config")
        #expect(output.contains("Read-only file system"))
        #expect(fixture.project.read(".git/config") == "[core]\n")
    }

    @Test(arguments: SandboxStart.allCases)
    func creatingPieSettingsFails(_ start: SandboxStart) async throws {
        let fixture = try Fixture(start: start)
        let (outcome, _) = try await fixture.run("mkdir -p .pie && echo 'sandbox=off' > .pie/config.toml")
        #expect(outcome.exitCode != 0)
        #expect(!fixture.project.exists(".pie"))
    }

    @Test(arguments: SandboxStart.allCases)
    func renamingGitAwayToRecreateHooksFails(_ start: SandboxStart) async throws {
        let fixture = try Fixture(start: start)
        let (outcome, output) = try await fixture.run(
            "mv .git .git-old && mkdir -p .git/hooks && echo x > .git/hooks/pre-commit")
        #expect(outcome.exitCode != 0)
        #expect(output.contains("Device or resource busy"), "\(output)")
        #expect(fixture.project.exists(".git/hooks/README"))
        #expect(!fixture.project.exists(".git-old"))
    }

    @Test(arguments: SandboxStart.allCases)
    func replacingProtectedDirectoryWithSymlinkFails(_ start: SandboxStart) async throws {
        let fixture = try Fixture(start: start)
        let (outcome, _) = try await fixture.run("rm -rf .git/hooks; ln -sfn \(fixture.outside.path) .git/hooks")
        #expect(outcome.exitCode != 0)
        #expect(SystemPathInspector().kind(of: fixture.project.file(".git/hooks")) == .directory)
        #expect(fixture.project.read(".git/hooks/README") == "hooks")
    }

    @Test(arguments: SandboxStart.allCases)
    func worktreeGitFileCannotBeRedirected(_ start: SandboxStart) async throws {
        let fixture = try Fixture(start: start, gitRepository: false)
        try fixture.project.write(".git", "gitdir: /srv/repo/.git/worktrees/p\n")
        let (outcome, output) = try await fixture.run("echo 'gitdir: /tmp/evil' > .git")
        #expect(outcome.exitCode != 0)
        #expect(output.contains("Read-only file system"))
        #expect(fixture.project.read(".git") == "gitdir: /srv/repo/.git/worktrees/p\n")
    }

    @Test(arguments: SandboxStart.allCases)
    func dotEnvIsMasked(_ start: SandboxStart) async throws {
        let fixture = try Fixture(start: start)
        try fixture.project.write(".env", "API_KEY=from-dotenv-123")
        try fixture.project.write("pkg/web/.env.local", "DB_PASSWORD=nested-456")
        let (_, output) = try await fixture.run("cat .env pkg/web/.env.local; echo done")
        #expect(!output.contains("from-dotenv") && !output.contains("nested-456"))
        #expect(output.contains("cat: .env: Permission denied") && output.contains("cat: pkg/web/.env.local: Permission denied"))
        #expect(fixture.project.read(".env") == "API_KEY=from-dotenv-123")
    }

    @Test(arguments: SandboxStart.allCases)
    func denyListedDirectoryIsEmpty(_ start: SandboxStart) async throws {
        let fixture = try Fixture(start: start)
        try fixture.outside.write("denied/id_ed25519", "PRIVATE KEY")
        let (_, output) = try await fixture.run("ls -A \(fixture.outside.file("denied")); cat \(fixture.outside.file("denied/id_ed25519")); echo end")
        #expect(!output.contains("PRIVATE KEY"))
        #expect(output.contains("No such file"))
    }

    @Test(arguments: SandboxStart.allCases)
    func hardLinkToASecretFails(_ start: SandboxStart) async throws {
        let fixture = try Fixture(start: start)
        let (outcome, output) = try await fixture.run("ln \(fixture.outside.file("secret.txt")) hard")
        #expect(outcome.exitCode != 0)
        #expect(output.contains("Invalid cross-device link") || output.contains("Operation not permitted"), "\(output)")
        #expect(!fixture.project.exists("hard"))
    }

    @Test(arguments: SandboxStart.allCases)
    func tmpIsPrivate(_ start: SandboxStart) async throws {
        let fixture = try Fixture(start: start)
        let marker = "/tmp/pie-redteam-tmp-\(uniqueMarker())"
        let (outcome, _) = try await fixture.run("echo x > \(marker) && cat \(marker)")
        #expect(outcome.exitCode == 0)
        #expect(access(marker, F_OK) != 0)
    }

    /// Nothing a command leaves in /tmp or /dev/shm reaches the next command (a warm sandbox gives
    /// each command fresh ones, as a bubblewrap of its own does), while the project bound beneath
    /// the host's /tmp stays in place.
    @Test(arguments: SandboxStart.allCases)
    func tmpAndShmDoNotOutliveACommand(_ start: SandboxStart) async throws {
        let fixture = try Fixture(start: start)
        let marker = "pie-redteam-left-\(uniqueMarker())"
        let first = try await fixture.run("echo x > /tmp/\(marker) && echo x > /dev/shm/\(marker) && echo x > \(marker)")
        #expect(first.outcome.exitCode == 0, "\(first.output)")
        let (_, output) = try await fixture.run("ls /tmp/\(marker) /dev/shm/\(marker) 2>&1; cat \(marker)")
        #expect(output.components(separatedBy: "No such file or directory").count == 3, "\(output)")
        #expect(output.hasSuffix("x\n"), "\(output)")
    }

    @Test(arguments: SandboxStart.allCases)
    func symlinkedProtectedPathRefusesToRun(_ start: SandboxStart) async throws {
        let fixture = try Fixture(start: start, gitRepository: false)
        symlink(fixture.outside.path, fixture.project.file(".git"))
        try await requireSandbox()
        await #expect {
            try await runShell(fixture.shell, "true", cwd: fixture.project.path)
        } throws: { error in
            (error as? ShellError)?.kind == .sandboxUnavailable
                && (error as? ShellError)?.message.contains("is a symlink") == true
        }
    }
}

/// Network escapes: real listeners on the host record whether anything reached them.
@Suite("Red team: network") struct RedTeamNetworkTests {
    @Test(arguments: SandboxStart.allCases)
    func bashDevTcpReachesNothing(_ start: SandboxStart) async throws {
        let fixture = try Fixture(start: start)
        let listener = try LoopbackListener(tcp: true)
        let (outcome, _) = try await fixture.run("echo exfil > /dev/tcp/127.0.0.1/\(listener.port)")
        #expect(outcome.exitCode != 0)
        #expect(!listener.reached)
    }

    @Test(arguments: SandboxStart.allCases)
    func perlTcpConnectReachesNothing(_ start: SandboxStart) async throws {
        requirePerl()
        let fixture = try Fixture(start: start)
        let listener = try LoopbackListener(tcp: true)
        let (_, output) = try await fixture.run(
            "perl -MSocket -e 'socket(my $s, AF_INET, SOCK_STREAM, 0) or die \"socket: $!\\n\"; "
                + "connect($s, pack_sockaddr_in(\(listener.port), inet_aton(\"127.0.0.1\"))) or die \"connect: $!\\n\"'")
        #expect(output.contains("socket: Address family not supported"))
        #expect(!listener.reached)
    }

    @Test(arguments: SandboxStart.allCases)
    func udpDatagramReachesNothing(_ start: SandboxStart) async throws {
        let fixture = try Fixture(start: start)
        let listener = try LoopbackListener(tcp: false)
        let (outcome, _) = try await fixture.run("echo exfil > /dev/udp/127.0.0.1/\(listener.port)")
        #expect(outcome.exitCode != 0)
        #expect(!listener.reached)
    }

    @Test(arguments: SandboxStart.allCases)
    func dnsLookupFails(_ start: SandboxStart) async throws {
        let fixture = try Fixture(start: start)
        let (outcome, output) = try await fixture.run("getent ahosts example.com; echo rc=$?")
        #expect(outcome.exitCode == 0)
        #expect(output.hasSuffix("rc=2\n"), "\(output)")
    }

    @Test(arguments: SandboxStart.allCases)
    func hostUnixSocketIsUnreachable(_ start: SandboxStart) async throws {
        requirePerl()
        let fixture = try Fixture(start: start)
        let listener = try UnixListener(path: fixture.outside.file("agent.sock"))
        let (_, output) = try await fixture.run(
            "perl -MSocket -e 'socket(my $s, AF_UNIX, SOCK_STREAM, 0) or die \"socket: $!\\n\"; "
                + "connect($s, pack_sockaddr_un(\"\(listener.path)\")) or die \"connect: $!\\n\"'")
        #expect(output.contains("socket: Address family not supported"))
        #expect(!listener.reached)
    }

    @Test(arguments: SandboxStart.allCases)
    func hostUnixSocketIsUnreachableEvenWithNetworkAllowed(_ start: SandboxStart) async throws {
        requirePerl()
        let fixture = try Fixture(start: start, network: true)
        let listener = try UnixListener(path: fixture.outside.file("docker.sock"))
        let (_, output) = try await fixture.run(
            "perl -MSocket -e 'socket(my $s, AF_UNIX, SOCK_STREAM, 0) or die \"socket: $!\\n\"; "
                + "connect($s, pack_sockaddr_un(\"\(listener.path)\")) or die \"connect: $!\\n\"'")
        #expect(output.contains("socket: Address family not supported"))
        #expect(!listener.reached)
    }

    @Test(arguments: SandboxStart.allCases)
    func networkAllowedReachesTheHostLoopback(_ start: SandboxStart) async throws {
        let fixture = try Fixture(start: start, network: true)
        let listener = try LoopbackListener(tcp: true)
        let (outcome, _) = try await fixture.run("echo hello > /dev/tcp/127.0.0.1/\(listener.port)")
        #expect(outcome.exitCode == 0)
        #expect(listener.reached, "with sandboxNetwork the policy allows TCP; the control proves the listener works")
    }
}

/// Resource exhaustion, process escapes and secret leaks.
@Suite("Red team: processes and secrets") struct RedTeamProcessTests {
    @Test(arguments: SandboxStart.allCases)
    func forkBombIsContained(_ start: SandboxStart) async throws {
        guard RedTeamProcessTests.processCapInForce() else { return }
        let fixture = try Fixture(start: start)
        let marker = uniqueMarker()
        let (outcome, _) = try await fixture.run(
            "bomb\(marker)() { bomb\(marker) | bomb\(marker) & }; bomb\(marker)", timeoutMs: 3000, exclusive: true)
        #expect(outcome.sandbox == .bwrap)
        #expect(await survivors(withMarker: "bomb\(marker)").isEmpty)
        let after = try await fixture.run("echo alive")
        #expect(after.output == "alive\n")
    }

    /// A process cap must be in force before a fork bomb is worth running: the pids cgroup, or
    /// RLIMIT_NPROC for non-root users (the kernel exempts real uid 0 from RLIMIT_NPROC).
    static func processCapInForce() -> Bool {
        if getuid() != 0 { return true }
        guard let probe = PidsCgroup.create(maxProcesses: 1, id: "probe-\(uniqueMarker())") else {
            Issue.record("running as root without a writable pids cgroup: nothing caps the process count")
            return false
        }
        probe.remove()
        return true
    }

    @Test(arguments: SandboxStart.allCases)
    func processLimitStopsForking(_ start: SandboxStart) async throws {
        guard Self.processCapInForce() else { return }
        let fixture = try Fixture(start: start)
        let (_, output) = try await fixture.run(
            "for i in $(seq 1 100); do sleep 5 & done 2>&1 | head -n 1", exclusive: true)
        #expect(output.contains("Resource temporarily unavailable") || output.contains("retry"), "\(output)")
    }

    @Test(arguments: SandboxStart.allCases)
    func everyLimitIsApplied(_ start: SandboxStart) async throws {
        let fixture = try Fixture(start: start)
        let (_, output) = try await fixture.run("cat /proc/self/limits")
        for (name, value) in [
            ("Max address space", "1073741824"), ("Max file size", "8388608"), ("Max cpu time", "5"),
            ("Max open files", "256"), ("Max core file size", "0"),
        ] {
            let line = output.split(separator: "\n").first { $0.hasPrefix(name) } ?? ""
            #expect(line.split(separator: " ").contains(Substring(value)), "\(name): \(line)")
        }
    }

    @Test(arguments: SandboxStart.allCases)
    func memoryBlowUpFailsInsideTheCommand(_ start: SandboxStart) async throws {
        requirePerl()
        let fixture = try Fixture(start: start)
        let (outcome, output) = try await fixture.run("perl -e '$x = \"a\" x (2 * 1024 * 1024 * 1024); print length $x'")
        #expect(outcome.exitCode != 0)
        #expect(output.contains("Out of memory"), "\(output)")
    }

    @Test(arguments: SandboxStart.allCases)
    func fileSizeLimitStopsADiskFill(_ start: SandboxStart) async throws {
        let fixture = try Fixture(start: start)
        let (outcome, _) = try await fixture.run("head -c 64M /dev/zero > fill.bin")
        #expect(outcome.exitCode != 0)
        var info = stat()
        stat(fixture.project.file("fill.bin"), &info)
        #expect(info.st_size <= Int(TestPolicy.strictLimits.fileSizeBytes))
    }

    /// bwrap's own /dev/shm is a directory of an uncapped tmpfs; pie caps it like /tmp.
    @Test(arguments: SandboxStart.allCases, ["/tmp", "/dev/shm"])
    func scratchTmpfsIsSizeCapped(_ start: SandboxStart, _ directory: String) async throws {
        let fixture = try Fixture(start: start)
        let (_, output) = try await fixture.run(
            "for i in 1 2 3 4; do head -c 7M /dev/zero > \(directory)/fill$i || break; done")
        #expect(output.contains("No space left on device"), "\(output)")
    }

    @Test(arguments: SandboxStart.allCases)
    func openFileLimitHolds(_ start: SandboxStart) async throws {
        requirePerl()
        let fixture = try Fixture(start: start)
        let (_, output) = try await fixture.run(
            "perl -e 'for (1..1000) { open(my $f, \"<\", \"/dev/null\") or die \"stopped at $_: $!\\n\"; push @h, $f }'")
        #expect(output.contains("Too many open files"), "\(output)")
    }

    @Test(arguments: SandboxStart.allCases)
    func infiniteLoopTimesOut(_ start: SandboxStart) async throws {
        let fixture = try Fixture(start: start)
        let marker = uniqueMarker()
        let (outcome, _) = try await fixture.run("while :; do :; done # loop\(marker)", timeoutMs: 500)
        #expect(outcome.timedOut)
        #expect(await survivors(withMarker: "loop\(marker)").isEmpty)
    }

    @Test(arguments: SandboxStart.allCases)
    func daemonizedProcessDoesNotSurvive(_ start: SandboxStart) async throws {
        let fixture = try Fixture(start: start)
        let marker = uniqueMarker()
        let (outcome, _) = try await fixture.run("setsid nohup sleep 4\(marker) > /dev/null 2>&1 & disown; echo spawned")
        #expect(outcome.exitCode == 0)
        #expect(await survivors(withMarker: "4\(marker)").isEmpty)
    }

    @Test(arguments: SandboxStart.allCases)
    func hugeOutputIsCutOff(_ start: SandboxStart) async throws {
        let fixture = try Fixture(start: start)
        let (outcome, output) = try await fixture.run("cat /dev/zero | tr '\\0' x")
        #expect(outcome.warnings.contains { $0.contains("output exceeded") })
        #expect(output.utf8.count <= fixture.shell.outputLimitBytes)
    }

    @Test(arguments: SandboxStart.allCases)
    func hostProcessesAreInvisibleAndUnkillable(_ start: SandboxStart) async throws {
        let fixture = try Fixture(start: start)
        let (_, output) = try await fixture.run("kill -9 \(getpid()); echo rc=$?; ls /proc | grep -c '^[0-9]'")
        #expect(output.contains("No such process"))
        let visible = Int(output.split(separator: "\n").last ?? "") ?? 999
        #expect(visible < 10, "\(output)")
    }

    @Test(arguments: SandboxStart.allCases)
    func environmentDumpHasNoSecrets(_ start: SandboxStart) async throws {
        let fixture = try Fixture(start: start)
        let (_, output) = try await fixture.run("env; set")
        #expect(!output.contains("SECRETVALUE"))
        #expect(!output.contains("ghp_secrettokenvalue"))
    }

    @Test(arguments: SandboxStart.allCases)
    func parentEnvironmentHasNoSecrets(_ start: SandboxStart) async throws {
        let fixture = try Fixture(start: start)
        let (_, output) = try await fixture.run(
            "cat /proc/$PPID/environ /proc/1/environ /proc/\(getpid())/environ 2>&1 | tr '\\0' '\\n'")
        #expect(!output.contains("SECRETVALUE"))
        #expect(!output.contains("ghp_secrettokenvalue"))
    }

    @Test(arguments: SandboxStart.allCases)
    func noCapabilitiesInside(_ start: SandboxStart) async throws {
        let fixture = try Fixture(start: start)
        let (_, output) = try await fixture.run("grep -E '^Cap(Eff|Prm)' /proc/self/status")
        #expect(output == "CapPrm:\t0000000000000000\nCapEff:\t0000000000000000\n")
    }
}

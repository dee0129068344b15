import Foundation
import PieTestSupport
import PiePolicy
import Testing

@testable import PieSandbox

/// Class: default-preset host writes. balanced, the default, used to run every command on the
/// host, so one allowed `cp` or `git config` changed what git runs outside pie. Each attack below
/// writes git's configuration or hooks through a command balanced knows (write operands, git's
/// own subcommands and options, and code run by an allowed build tool or interpreter). The
/// balanced policy must deny it where it can judge it, and when it runs anyway in balanced's
/// sandbox (network on, project writable), warm and cold, `.git/config` and `.git/hooks` must be
/// byte-for-byte unchanged.
@Suite("Red team: default-preset host writes (balanced)")
struct RedTeamBalancedTests {
    /// One attack: the command, and whether the balanced policy can judge it (code inside a
    /// Makefile or a Python program is contained by the sandbox, not by the policy).
    struct Attack: Sendable, CustomStringConvertible {
        let command: String
        let policyDenies: Bool
        var description: String { command }
    }

    static let attacks: [Attack] = [
        // Write operands (cp mv install ln tee sed -i dd sort -o uniq touch mkdir rm find -delete).
        Attack(command: "cp x .git/hooks/pre-commit", policyDenies: true),
        Attack(command: "cp -t .git/hooks x", policyDenies: true),
        Attack(command: "mv x .git/config", policyDenies: true),
        Attack(command: "install -m755 x .git/hooks/post-checkout", policyDenies: true),
        Attack(command: "ln -s /tmp/evil .git/hooks/pre-push", policyDenies: true),
        Attack(command: "tee .git/config < x", policyDenies: true),
        Attack(command: "tee -a .git/hooks/post-merge < x", policyDenies: true),
        Attack(command: "sed -i 's/repositoryformatversion/fsmonitor = x #/' .git/config", policyDenies: true),
        Attack(command: "dd if=x of=.git/config", policyDenies: true),
        Attack(command: "sort -o .git/config x", policyDenies: true),
        Attack(command: "uniq x .git/hooks/pre-commit", policyDenies: true),
        Attack(command: "touch .git/hooks/pre-rebase", policyDenies: true),
        Attack(command: "mkdir .git/hooks/pre-commit.d", policyDenies: true),
        Attack(command: "rm -rf .git/hooks", policyDenies: true),
        Attack(command: "rm -f .git/config", policyDenies: true),
        Attack(command: "find .git/hooks -type f -delete", policyDenies: true),
        // git's own commands that write configuration or hooks.
        Attack(command: "git config core.fsmonitor 'touch owned; false'", policyDenies: true),
        Attack(command: "git config core.hooksPath .", policyDenies: true),
        Attack(command: "git remote add x 'ext::sh -c touch% owned'", policyDenies: true),
        Attack(command: "git config include.path ../../evil.cfg", policyDenies: true),
        Attack(command: "git init --template=tpl", policyDenies: true),
        Attack(command: "git diff --output=.git/hooks/pre-commit", policyDenies: true),
        // Code run by an allowed build tool or interpreter: the policy does not read it; the
        // sandbox must contain it.
        Attack(command: "printf 'all:\\n\\tcp x .git/hooks/pre-commit\\n' > Makefile && make", policyDenies: false),
        Attack(
            command: "python3 -c \"open('.git/config', 'a').write('[core]\\\\n\\\\tfsmonitor = touch owned\\\\n')\"",
            policyDenies: false),
        Attack(command: "node -e \"require('fs').writeFileSync('.git/hooks/pre-push', 'touch owned')\"", policyDenies: false),
    ]

    @Test(arguments: SandboxStart.allCases, attacks)
    func gitConfigurationAndHooksStayUnchanged(_ start: SandboxStart, _ attack: Attack) async throws {
        let fixture = try BalancedFixture(start: start)
        let decision = fixture.engine.evaluate(.bash(command: attack.command, cwd: nil))
        #expect(decision.allowed == !attack.policyDenies, "\(attack.command): \(decision.rule): \(decision.reason)")

        let before = fixture.gitState()
        let (outcome, output) = try await fixture.run(attack.command)
        #expect(before.count > 2, "git init made no sample hooks to compare")
        let after = fixture.gitState()
        #expect(after == before, "\(attack.command) changed git's metadata: \(output)")
        #expect(!fixture.project.exists("owned"))
        #expect(outcome.exitCode != 0, "\(attack.command) succeeded: \(output)")
        if !attack.policyDenies {
            // The contained code reached the write and the kernel refused it.
            #expect(output.contains("Read-only file system") || output.contains("EROFS"), "\(attack.command): \(output)")
        }
    }

    /// Symlinks into `.git` that a checkout or `git apply` can put in the work tree (git stores
    /// symlinks, mode 120000, pointing anywhere): a write operand that names the link looks like a
    /// project file to a lexical check, so the sandbox must refuse the write where it lands.
    /// (`sed -i` replaces a link instead of writing through it; `sed --follow-symlinks` is denied.)
    static let writesThroughLinks = [
        "cp x hooks/pre-commit", "tee hooks/post-checkout < x", "cp x cfg", "cat x >> cfg",
        "touch hooks/pre-push", "mv x hooks/post-merge",
    ]

    @Test(arguments: SandboxStart.allCases, writesThroughLinks)
    func writesThroughLinksIntoGitAreContained(_ start: SandboxStart, _ command: String) async throws {
        let fixture = try BalancedFixture(start: start)
        #expect(symlink(".git/hooks", fixture.project.file("hooks")) == 0)
        #expect(symlink(".git/config", fixture.project.file("cfg")) == 0)
        let before = fixture.gitState()
        let (outcome, output) = try await fixture.run(command)
        #expect(outcome.exitCode != 0, "\(command) succeeded: \(output)")
        #expect(output.contains("Read-only file system"), "\(command): \(output)")
        #expect(fixture.gitState() == before, "\(command) changed git's metadata: \(output)")
    }

    /// `ext::` runs its command and `fd::` talks to descriptors (git-remote-ext(1),
    /// git-remote-fd(1)). balanced's policy denies every `TRANSPORT::ADDRESS` operand of fetch,
    /// pull and push (clone is not allowed at all); git's default `protocol.allow` policy, under
    /// which both are never allowed (gitprotocol docs), is the second layer: the line run in the
    /// sandbox without the policy is refused by git too, which this pins.
    @Test(arguments: SandboxStart.allCases)
    func gitRefusesTransportsThatRunPrograms(_ start: SandboxStart) async throws {
        let fixture = try BalancedFixture(start: start)
        for command in [
            "git fetch 'ext::sh -c touch% owned'", "git pull 'ext::sh -c touch% owned' main",
            "git push 'ext::sh -c touch% owned' HEAD",
        ] {
            let decision = fixture.engine.evaluate(.bash(command: command, cwd: nil))
            #expect(!decision.allowed, "\(command) was allowed")
            #expect(decision.rule == "exec_argument", "\(command): \(decision.reason)")
            #expect(decision.reason.contains("'*::*'"), "\(command): \(decision.reason)")
            let (outcome, output) = try await fixture.run(command)
            #expect(outcome.exitCode != 0)
            #expect(output.contains("transport 'ext' not allowed"), "\(command): \(output)")
            #expect(!fixture.project.exists("owned"))
        }
    }

    /// The attack above, then the host's own git: nothing the sandboxed command tried runs.
    @Test(arguments: SandboxStart.allCases)
    func hostGitRunsNothingAfterTheAttacks(_ start: SandboxStart) async throws {
        let fixture = try BalancedFixture(start: start)
        for attack in Self.attacks {
            _ = try await fixture.run(attack.command)
        }
        let status = try fixture.hostGit(["status", "--porcelain"])
        #expect(status.exitCode == 0, "\(status.output)")
        #expect(!fixture.project.exists("owned"))
        #expect(!FileManager.default.fileExists(atPath: "/tmp/owned"))
    }
}

/// A real git repository judged by the balanced preset and run in balanced's sandbox (forced on,
/// network allowed, the project writable), warm or cold.
struct BalancedFixture {
    let project: Scratch
    let engine: PolicyEngine
    var shell: SandboxedShell
    let start: SandboxStart

    init(start: SandboxStart) throws {
        self.start = start
        project = try Scratch("pie-rt-balanced")
        try project.write("x", "#!/bin/sh\ntouch owned\n")
        try project.write("tpl/hooks/post-checkout", "#!/bin/sh\ntouch owned\n")
        var policy = try PolicyBuilder.build(
            PolicyInputs(cwd: project.path, home: "/nonexistent-home", environment: [:], presetFlag: .balanced)
        ).policy
        engine = try PolicyEngine(policy: policy)
        policy.sandboxMode = .force
        policy.sandboxNetwork = true
        shell = SandboxedShell(policy: policy, environment: TestPolicy.environment, limits: TestPolicy.strictLimits)
        shell.warm = start == .warm ? Fixture.warmSandboxes : nil
        let initialised = try hostGit(["init", "-q"])
        guard initialised.exitCode == 0 else { throw ScratchError.cannotCreate }
    }

    /// Runs a command in the sandbox; fails the test (not skips) when the sandbox is missing.
    func run(_ command: String) async throws -> (outcome: ShellOutcome, output: String) {
        try await requireSandbox()
        let result = try await runShell(shell, command, cwd: project.path)
        #expect(result.outcome.sandbox == .bwrap)
        #expect(result.outcome.servedWarm == (start == .warm), "the attack ran \(start == .warm ? "cold" : "warm")")
        return result
    }

    /// `.git/config` and every file under `.git/hooks`, as bytes, keyed by path.
    func gitState() -> [String: String] {
        var state: [String: String] = [".git/config": project.read(".git/config") ?? "<missing>"]
        let hooks = project.file(".git/hooks")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: hooks)) ?? ["<missing>"]
        for name in names {
            state[".git/hooks/" + name] = project.read(".git/hooks/" + name) ?? "<not a file>"
        }
        return state
    }

    /// Runs the host's git in the project, outside every sandbox, with no inherited git
    /// environment.
    func hostGit(_ arguments: [String]) throws -> (exitCode: Int32, output: String) {
        let result = try HostProcess.runBlocking(
            ["/usr/bin/git"] + arguments, cwd: project.path,
            environment: ["PATH": "/usr/bin:/bin", "HOME": project.path, "GIT_CONFIG_NOSYSTEM": "1"],
            mergeStandardError: true)
        return (result.status, result.stdoutText)
    }
}

import Foundation
import PiePolicy
import Testing

@testable import PieSandbox

/// Attacks from the red-team pass over the merged issue 10, by class, written from GNU coreutils',
/// sed's, mawk's and bash's own documentation of how they read their arguments. Each must be denied
/// by the strict profile with the given rule; run anyway in the sandbox, it must leave the git
/// directory and everything outside the roots as they were. Findings that are still open are in
/// /work/coord/redteam-findings.md, not here.
struct FoundAttack: Sendable, CustomTestStringConvertible {
    /// The command line; `OUT` stands for the directory outside every root.
    var command: String
    var rule: String

    init(_ command: String, _ rule: String) {
        self.command = command
        self.rule = rule
    }

    var testDescription: String { "\(rule): \(command)" }

    static let all: [FoundAttack] = [
        // Write operands hidden by GNU uniq's obsolete `+N` (= `-s N`): the file it writes is the
        // third word (finding 1), before and after `--`, and after permuted options.
        .init("uniq +1 in.txt .git/config", "write_operand"),
        .init("uniq +0 -- in.txt .git/hooks/pre-commit", "write_operand"),
        .init("uniq +0 in.txt OUT/new.txt", "write_operand"),
        .init("uniq in.txt -c .git/config", "write_operand"),
        .init("uniq --group in.txt .git/hooks/pre-commit", "write_operand"),
        .init("stdbuf -oL uniq +0 in.txt .git/config", "write_operand"),
        .init("command -p uniq +0 in.txt .git/config", "write_operand"),
        // `cd` tricks: the directory a write lands in after `cd -`, a group, a condition, a case arm.
        .init("cd .git; cd /; cd -; echo x > config", "redirect"),
        .init("cd .git; cd /tmp; cd - >/dev/null; sort -o config in.txt", "write_operand"),
        .init("{ cd .git; }; echo x > config", "redirect"),
        .init("if cd .git; then echo x > config; fi", "redirect"),
        .init("case x in x) cd .git;; esac; echo x > config", "redirect"),
        .init("cd .git || true; echo x > config", "redirect"),
        .init("cd -P .git/hooks/..; sort -o config in.txt", "write_operand"),
        .init("D=.git; cd \"$D\"; echo x > config", "redirect"),
        .init("cd .git && echo x > ~+/config", "redirect"),
        .init("cd .git; cd ..; echo x > ~-/config", "redirect"),
        // Quoting, globs and brace expansion in a redirection target; read-write and `>&` opens.
        .init("echo x > $'\\x2egit/config'", "redirect"),
        .init("echo x > .gi?/config", "redirect"),
        .init("echo x > .git/conf*", "redirect"),
        .init("echo x > .git/{config,}", "redirect"),
        .init("echo x 1<> .git/config", "redirect"),
        .init("echo x >& .git/config", "redirect"),
        // /dev/stdout and /dev/stderr re-open what fd 1 or 2 holds: a file opened for reading
        // (finding 7), directly, through a duplicate, a group's redirection or an earlier exec.
        .init("echo x 1<.git/config >/dev/stdout", "redirect"),
        .init("echo x 2<.git/config >/dev/stderr 1>&2", "redirect"),
        .init("echo x 3<.git/config 1<&3 >/dev/stdout", "redirect"),
        .init("{ echo x >/dev/stdout; } 1<.git/config", "redirect"),
        .init("exec 1<.git/config; echo x >/dev/stdout", "redirect"),
        // Words that xargs adds or substitutes at run time.
        .init("echo .git/config | xargs uniq in.txt --", "write_operand"),
        .init("echo .git/config | xargs sort in.txt -o", "write_operand"),
        .init("echo .git | xargs -IX sort -oX/config in.txt", "exec_argument"),
        .init("echo .git/hooks | xargs -I DIR sort -o DIR/pre-commit in.txt", "exec_argument"),
        .init("xargs -a in.txt sort -o", "write_operand"),
        // Wrappers: clustered or obsolete options they do not list.
        .init("env -iu X sort -o .git/config in.txt", "wrapper"),
        .init("nice -5 sort -o .git/config in.txt", "wrapper"),
        .init("env - sort -o .git/config in.txt", "write_operand"),
        .init("timeout -k1 5 sort -o.git/config in.txt", "write_operand"),
        // Clustered short options carrying a write target or an undeclared option.
        .init("sort -mo.git/config in.txt", "write_operand"),
        .init("sort -ruo .git/config in.txt", "write_operand"),
        // sed's write forms after addresses, negation, steps, flags and clustered -e.
        .init("sed -n 's/a/b/3w .git/config' in.txt", "exec_argument"),
        .init("sed -nes/a/b/w.git/config in.txt", "exec_argument"),
        .init("sed -n '0~1w .git/config' in.txt", "exec_argument"),
        .init("sed -n '1!w .git/config' in.txt", "exec_argument"),
        .init("sed -n '/a/Iw .git/config' in.txt", "exec_argument"),
        .init("sed -n 'v;w .git/config' in.txt", "exec_argument"),
        // sed labels end at a blank in GNU sed 4.9, so a command can follow a label or branch on
        // the same line (finding 2): `e` runs a program, `w` writes a file.
        .init("sed ':x e echo pwned > .git/hooks/pre-commit' in.txt", "exec_argument"),
        .init("sed -n ':x w .git/config' in.txt", "exec_argument"),
        .init("sed -n 'b x w OUT/new.txt\n:x' in.txt", "exec_argument"),
        .init("sed -n 't x w .git/config\n:x' in.txt", "exec_argument"),
        .init("sed -n 'v 4.2 w .git/config' in.txt", "exec_argument"),
        .init("sed -n 'bend e echo pwned > .git/hooks/pre-commit\n:end' in.txt", "exec_argument"),
        // awk: mawk's -W and gawk's --exec through abbreviation and attached forms.
        .init("awk --ex prog.awk", "exec_argument"),
        .init("awk -vx=1 -We prog.awk", "exec_argument"),
        .init("awk --exec=prog.awk", "exec_argument"),
    ]
}

@Suite("Red team: findings of the issue 10 pass, by class")
struct RedTeamFindingsTests {
    private static func fixture(_ start: SandboxStart) throws -> Fixture {
        let fixture = try Fixture(start: start)
        try fixture.project.write("in.txt", "b\na\na\ncore\n")
        try fixture.project.write(
            "prog.awk", "BEGIN { system(\"echo pwned > .git/hooks/pre-commit; echo pwned > \(fixture.outside.file("new.txt"))\") }\n")
        return fixture
    }

    @Test(arguments: SandboxStart.allCases, FoundAttack.all)
    func deniedByPolicyAndContainedBySandbox(_ start: SandboxStart, _ attack: FoundAttack) async throws {
        let fixture = try Self.fixture(start)
        let command = attack.command.replacingOccurrences(of: "OUT", with: fixture.outside.path)
        let engine = try PolicyEngine(policy: fixture.shell.policy)
        let decision = engine.evaluate(.bash(command: command, cwd: nil))
        #expect(!decision.allowed, "\(command.debugDescription) was allowed by the strict profile")
        #expect(decision.rule == attack.rule, "\(command.debugDescription): \(decision.rule): \(decision.reason)")

        _ = try await fixture.run(command)
        #expect(!fixture.project.exists(".git/hooks/pre-commit"), "\(command) wrote .git/hooks/pre-commit")
        #expect(fixture.project.read(".git/config") == "[core]\n", "\(command) changed .git/config")
        #expect(fixture.outsideEntries() == ["secret.txt"], "\(command) wrote outside the roots")
        #expect(fixture.secretUnchanged)
    }

    /// Finding 1: `uniq +1 IN OUT` writes OUT although only IN was judged. A missing nested
    /// protected name (`sub/.envrc`, which direnv runs on the host) is not masked in the sandbox;
    /// the hardened preset denies the command, and the configuration sweep after a command moves
    /// what it planted into the quarantine, so the host never keeps it.
    @Test(arguments: SandboxStart.allCases)
    func uniqPlusNCannotHideItsOutput(_ start: SandboxStart) async throws {
        let fixture = try PresetFixture(.hardened, start: start) { project in
            try project.write("payload", "echo direnv-ran\n")
            try project.write("sub/keep", "")
        }
        let engine = try PolicyEngine(policy: fixture.effective.policy)
        for command in ["uniq +1 payload sub/.envrc", "uniq +1 -- payload sub/.envrc", "uniq -c +0 payload sub/.envrc"] {
            let decision = engine.evaluate(.bash(command: command, cwd: nil))
            #expect(decision.rule == "write_operand", "\(command): \(decision.rule): \(decision.reason)")
        }
        let (outcome, output) = try await fixture.run("uniq +1 payload sub/.envrc")
        #expect(!fixture.project.exists("sub/.envrc"), "\(output)")
        #expect(outcome.quarantined.map(\.path) == [fixture.project.file("sub/.envrc")] && outcome.exitCode == 1)
        let moved = try #require(outcome.quarantined.first?.movedTo)
        #expect((try? String(contentsOfFile: moved, encoding: .utf8)) == "echo direnv-ran\n", "uniq +1 wrote sub/.envrc in the sandbox")
    }

    /// Finding 2: GNU sed runs the `e` command that follows a label on the same line; the strict
    /// profile denies it, and the sandbox alone would have run it.
    @Test(arguments: SandboxStart.allCases)
    func sedCommandAfterALabelRuns(_ start: SandboxStart) async throws {
        let fixture = try Self.fixture(start)
        let engine = try PolicyEngine(policy: fixture.shell.policy)
        for script in [":x e echo ran > ran.txt", "b x e echo ran > ran.txt\n:x", ":a;N;$!ba;s/\\n/ /g"] {
            let command = "sed -n '\(script)' in.txt"
            #expect(engine.evaluate(.bash(command: command, cwd: nil)).rule == "exec_argument", "\(command)")
        }
        #expect(engine.evaluate(.bash(command: "sed -n 's/a/b/p;/c/d' in.txt", cwd: nil)).allowed)
        _ = try await fixture.run("sed -n ':x e echo ran > ran.txt' in.txt")
        #expect(fixture.project.read("ran.txt") == "ran\n", "GNU sed no longer runs a command after a label")
    }

    /// Finding 7: `1<FILE >/dev/stdout` truncates and writes FILE, which `1<` opened for reading.
    /// A nested repository deeper than the sandbox's mask walk has no read-only mounts, so this
    /// rewrote its config (fsmonitor) and the user's next `git status` there ran it. The hardened
    /// preset denies it, and the configuration sweep moves the rewritten config into the quarantine.
    @Test(arguments: SandboxStart.allCases)
    func reopenedStdoutCannotRewriteADeepRepository(_ start: SandboxStart) async throws {
        let nested = "a/b/c/d/nested"
        let fixture = try PresetFixture(.hardened, start: start) { project in
            try project.write("\(nested)/keep", "")
            try GitRepository.git(["init", "-q"], in: project.file(nested), home: "/nonexistent")
        }
        let original = fixture.project.read("\(nested)/.git/config")
        let engine = try PolicyEngine(policy: fixture.effective.policy)
        for command in [
            "echo '[core]' 1<\(nested)/.git/config >/dev/stdout", "echo x 2<\(nested)/.git/config >/dev/stderr",
            "echo x >/dev/stderr", "echo x >/dev/stdout",
        ] {
            let decision = engine.evaluate(.bash(command: command, cwd: nil))
            #expect(decision.rule == "redirect", "\(command): \(decision.rule): \(decision.reason)")
        }
        #expect(engine.evaluate(.bash(command: "echo x >&2; echo y 1>&2 >/dev/null", cwd: nil)).allowed)
        let (outcome, output) = try await fixture.run("echo '[core]' 1<\(nested)/.git/config >/dev/stdout")
        #expect(fixture.project.read("\(nested)/.git/config") == nil, "\(output)")
        #expect(outcome.quarantined.map(\.path) == [fixture.project.file("\(nested)/.git/config")] && outcome.exitCode == 1)
        let moved = try #require(outcome.quarantined.first?.movedTo)
        #expect(
            (try? String(contentsOfFile: moved, encoding: .utf8)) == "[core]\n" && original != "[core]\n",
            "the reopen did not rewrite the config in the sandbox")
    }

    /// Finding 3: a project whose hooks live in the working tree (`core.hooksPath = .githooks`, the
    /// hook committed and executable). Rewriting the hook ran code at the user's next commit. Now
    /// the write tool, redirections and the sandbox all keep it, and the host's commit runs the
    /// original hook only.
    @Test(arguments: SandboxStart.allCases)
    func committedHooksDirectoryIsProtected(_ start: SandboxStart) async throws {
        let repository = try GitRepository(start: start) { project in
            try project.write(".githooks/pre-commit", "#!/bin/sh\nexit 0\n")
            chmod(project.file(".githooks/pre-commit"), 0o755)
            try GitRepository.git(["config", "core.hooksPath", ".githooks"], in: project.path, home: "/nonexistent")
        }
        let plant = "#!/bin/sh\ntouch \(repository.marker)\n"
        repository.expectWriteRefused(".githooks/pre-commit", plant, naming: ".githooks")
        repository.expectWriteRefused(".githooks/pre-push", plant, naming: ".githooks")
        let engine = try PolicyEngine(policy: repository.shell.policy)
        for command in [
            "echo 'touch \(repository.marker)' >> .githooks/pre-commit", "sort -o .githooks/post-commit in.txt",
            "cd .githooks && echo x > pre-push",
        ] {
            #expect(!engine.evaluate(.bash(command: command, cwd: nil)).allowed, "\(command) was allowed")
        }
        // Run anyway, as a command the policy missed would be (finding 2's `sed ':x e …'`).
        _ = try await repository.run("echo 'touch \(repository.marker)' >> .githooks/pre-commit; printf '#!/bin/sh\\ntouch \(repository.marker)\\n' > .githooks/post-commit")
        #expect(repository.project.read(".githooks/pre-commit") == "#!/bin/sh\nexit 0\n")
        try repository.project.write("file.txt", "x\n")
        try repository.hostGit(["add", "file.txt"])
        let commit = try repository.hostGit(["commit", "-qm", "x"])
        #expect(commit.status == 0, "\(commit.output)")
        try repository.hostGitRanNothing()
    }

    /// Finding 6: symlinks planted in the project (as permissive's shell may) led the file backend
    /// into the git directory: with `enforce_regular_files` off they are followed beneath the root,
    /// and a write's real directory was never judged again (reads were). Now it is.
    @Test func plantedSymlinksIntoGitAreRefusedWithoutRegularFileEnforcement() throws {
        let fixture = try Fixture()
        let files = ConfinedFileOperations(paths: fixture.shell.policy.paths, enforceRegularFiles: false)
        symlink(".git", fixture.project.file("gg"))
        symlink(".git/hooks", fixture.project.file("h"))
        symlink(".git/config", fixture.project.file("cfg"))
        for path in [
            "gg/config", "gg/hooks/pre-commit", "h/pre-commit", "gg/objects/info/alternates", "gg/commondir",
            "gg/new-dir/config", "gg/info/attributes", "gg/refs/heads/x/.git/config",
        ] {
            #expect(throws: FileOperationError.self, "\(path) was written") {
                try files.write(fixture.project.file(path), contents: Array("[core]\n\tfsmonitor = id\n".utf8))
            }
        }
        #expect(fixture.project.read(".git/config") == "[core]\n")
        #expect(!fixture.project.exists(".git/hooks/pre-commit"))
        #expect(!fixture.project.exists(".git/commondir"))
        #expect(!fixture.project.exists(".git/new-dir"))
        #expect(!fixture.project.exists(".git/info/attributes"))

        // A link as the last component is replaced, not written through; what git allows still works.
        try files.write(fixture.project.file("cfg"), contents: Array("plain\n".utf8))
        #expect(fixture.project.read(".git/config") == "[core]\n")
        try files.write(fixture.project.file("gg/refs/heads/main"), contents: Array("0000000000000000000000000000000000000000\n".utf8))
        #expect(fixture.project.exists(".git/refs/heads/main"))
    }

    /// Spellings of git metadata paths that lexical normalisation must collapse before judging.
    @Test func gitMetadataSpellingsAreRefused() throws {
        let fixture = try Fixture()
        let files = ConfinedFileOperations(paths: fixture.shell.policy.paths, enforceRegularFiles: true)
        try fixture.project.write(".git/refs/heads/keep", "")
        try fixture.project.write(".git/objects/info/commit-graphs/keep", "")
        for path in [
            ".git/config/", "x/../.git/config", ".git//config", ".git/refs/heads/../../config",
            ".git/objects/info/commit-graphs/../alternates", ".git/logs/../hooks/post-merge",
            ".git/refs/x/.git/config", "a/b/.git", ".git/worktrees/w/commondir", ".git/modules/m/hooks/pre-commit",
        ] {
            #expect(throws: FileOperationError.self, "\(path) was written") {
                try files.write(fixture.project.file(path), contents: Array("x\n".utf8))
            }
        }
        #expect(fixture.project.read(".git/config") == "[core]\n")
        #expect(!fixture.project.exists(".git/objects/info/alternates"))
        #expect(!fixture.project.exists("a/b/.git"))
    }
}

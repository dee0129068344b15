import Foundation
import PiePolicy
import Testing

@testable import PieSandbox

/// Recursive and aliased writes: commands that change more than the paths they name. `mv SRC DEST`
/// removes SRC; `ln TARGET NAME` makes NAME a second name of TARGET's file; `rm -r`, `chmod -R`,
/// `chown -R`, `cp -r DIR/. .`, `cp -T`, `mv -T` change everything below a directory; and a write
/// to a path through a symlink already in the project lands where the link points. From GNU
/// coreutils' documentation of mv ("rename SOURCE to DEST, or move SOURCE(s) to DIRECTORY"), ln
/// ("create hard links by default"), rm/chmod/chown `-R`, and cp's `-T` ("treat DEST as a normal
/// file") and `DIR/.` copies.
///
/// Each attack is judged by the policy (strict, with the commands added by `--allow-command` so
/// that their rules apply), which must deny it with the specific rule, and then run in the
/// sandbox, warm and cold, which must leave the git directory, the nested repository and the
/// protected files unchanged: the policy guards the host fallback, the sandbox guards the run.
@Suite("Red team: recursive and aliased writes") struct RedTeamRecursiveWriteTests {
    static let config = "[core]\n\trepositoryformatversion = 0\n"
    static let nestedConfig = "[core]\n\tbare = false\n"
    static let envrc = "export SAFE=1\n"

    static func fixture(_ start: SandboxStart) throws -> PresetFixture {
        try PresetFixture(
            .balanced, start: start,
            flags: [
                (.bashProfile, .string("strict")),
                (.allowCommands, .list(["mv", "ln", "rm", "cp", "chmod", "chown", "mkdir"])),
            ]
        ) { project in
            try project.write(".git/config", config)
            try project.write(".git/hooks/README", "hooks")
            try project.write(".git/HEAD", "ref: refs/heads/main\n")
            try project.write("nested/.git/config", nestedConfig)
            try project.write("nested/.git/HEAD", "ref: refs/heads/main\n")
            try project.write(".envrc", envrc)
            try project.write("payload/.git/config", "[core]\n\tfsmonitor = touch /tmp/owned\n")
            try project.write("payload/.envrc", "touch /tmp/owned\n")
            try project.write("payload/.git/hooks/pre-commit", "#!/bin/sh\ntouch /tmp/owned\n")
            try project.write("hook", "#!/bin/sh\ntouch /tmp/owned\n")
            try project.write("stash/keep", "")
        }
    }

    /// Judges every attack, expecting `rule`, then runs them all in the sandbox (each in its own
    /// subshell, so one failing does not stop the next) and checks that nothing guarded changed.
    static func attack(_ attacks: [(command: String, rule: String)], start: SandboxStart, prepare: (Scratch) throws -> Void = { _ in }) async throws {
        let fixture = try fixture(start)
        try prepare(fixture.project)
        let engine = try PolicyEngine(policy: fixture.effective.policy)
        for (command, rule) in attacks {
            let decision = engine.evaluate(.bash(command: command, cwd: nil))
            #expect(!decision.allowed, "the policy allowed '\(command)'")
            #expect(decision.rule == rule, "'\(command)': \(decision.rule): \(decision.reason)")
        }
        let line = attacks.map { "( \($0.command) ) >/dev/null 2>&1" }.joined(separator: "\n")
        _ = try await fixture.run(line)
        let project = fixture.project
        #expect(project.read(".git/config") == config, "the repository's config changed")
        #expect(project.read(".git/hooks/README") == "hooks")
        #expect(!project.exists(".git/hooks/pre-commit") && !project.exists(".git/hooks/post-checkout"), "a hook was planted")
        #expect(project.read("nested/.git/config") == nestedConfig, "the nested repository's config changed")
        #expect(project.read(".envrc") == envrc, ".envrc changed")
        var status = stat()
        #expect(lstat(project.file(".git/config"), &status) == 0 && status.st_nlink == 1, ".git/config gained a second name")
        #expect(lstat(project.file(".envrc"), &status) == 0 && status.st_nlink == 1, ".envrc gained a second name")
    }

    /// Sources of mv and of hard links are writes: moving a protected file away deletes it there,
    /// and a hard link is the same file under a name no check guards.
    @Test(arguments: SandboxStart.allCases)
    func movedAndHardLinkedSourcesAreWrites(_ start: SandboxStart) async throws {
        try await Self.attack(
            [
                ("mv .git/config stolen", "write_operand"), ("mv .git/hooks stolen-hooks", "write_operand"),
                ("mv -t stash .git/config", "write_operand"), ("mv --target-directory=stash .envrc", "write_operand"),
                ("mv .envrc stash/", "write_operand"), ("mv nested/.git/config x", "write_operand"),
                ("ln .git/config c && echo '\tfsmonitor = touch /tmp/owned' >> c", "write_operand"),
                ("ln -f .envrc e && echo 'touch /tmp/owned' >> e", "write_operand"), ("ln -t stash .git/config", "write_operand"),
                ("ln .git/config", "write_operand"), ("ln -P nested/.git/config nc", "write_operand"),
                ("ln hook .git/hooks/pre-commit", "write_operand"),
            ], start: start)
    }

    /// Recursive writes over a directory that holds the git directory, a nested repository or a
    /// protected file.
    @Test(arguments: SandboxStart.allCases)
    func recursiveWritesOverGuardedPathsAreDenied(_ start: SandboxStart) async throws {
        try await Self.attack(
            [
                ("cp -rT payload .", "recursive_write"), ("cp -r payload/. .", "recursive_write"),
                ("cp -a payload/. nested", "recursive_write"), ("cp -R --no-target-directory payload nested", "recursive_write"),
                ("mv -T payload nested", "recursive_write"), ("mv nested moved", "recursive_write"),
                ("chmod -R a-w .", "recursive_write"), ("chmod --recursive 777 nested", "recursive_write"),
                ("chown -R 0:0 .", "recursive_write"), ("rm -r nested", "recursive_write"),
                ("rm -rf --one-file-system .", "recursive_write"), ("rm -R -f stash/../", "recursive_write"),
                ("rm -rf .", "recursive_write"),
            ], start: start)
    }

    /// Writes through symlinks already in the work tree (git checks out mode-120000 entries as
    /// links): judged where they lead, as the file tools judge them.
    @Test(arguments: SandboxStart.allCases)
    func writesThroughExistingSymlinksAreJudgedWhereTheyLead(_ start: SandboxStart) async throws {
        try await Self.attack(
            [
                ("cp hook hooks/pre-commit", "write_operand"), ("cat hook > hooks/post-checkout", "redirect"),
                ("echo '\tfsmonitor = touch /tmp/owned' >> cfg", "redirect"), ("echo 'touch /tmp/owned' > env", "redirect"),
                ("ln hook hooks/post-checkout", "write_operand"), ("cp hook nestedgit/hooks/pre-commit", "write_operand"),
                ("rm -r linkdir", "recursive_write"),
            ], start: start
        ) { project in
            symlink(".git/hooks", project.file("hooks"))
            symlink(".git/config", project.file("cfg"))
            symlink(".envrc", project.file("env"))
            symlink("nested/.git", project.file("nestedgit"))
            symlink("nested", project.file("linkdir"))
        }
    }
}

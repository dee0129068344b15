import Foundation
import PieTestSupport
import PiePolicy
import Testing

@testable import PieSandbox

/// A real git repository under the hardened preset (built by `PolicyBuilder`, as `pie` does), with
/// the write tool's backend and a sandboxed shell, plus the host's own git to see what it would run.
struct GitRepository {
    let project: Scratch
    let home: Scratch
    let files: ConfinedFileOperations
    var shell: SandboxedShell
    let start: SandboxStart
    /// The file a successful attack creates: every command the attacks plant touches it.
    var marker: String { home.file("owned") }

    init(start: SandboxStart = .cold, setUp: (Scratch) throws -> Void = { _ in }) throws {
        self.start = start
        project = try Scratch("pie-git")
        home = try Scratch("pie-git-home", in: "/var/tmp")
        try Self.git(["init", "-q"], in: project.path, home: home.path)
        try Self.git(["config", "alias.st", "status"], in: project.path, home: home.path)
        try Self.git(["config", "user.name", "pie"], in: project.path, home: home.path)
        try Self.git(["config", "user.email", "pie@example.invalid"], in: project.path, home: home.path)
        try setUp(project)
        let policy = try PolicyBuilder.build(PolicyInputs(
            cwd: project.path, home: home.path, environment: [:], presetFlag: .hardened)).policy
        files = ConfinedFileOperations(paths: policy.paths, enforceRegularFiles: true)
        shell = SandboxedShell(policy: policy, environment: TestPolicy.environment, limits: TestPolicy.strictLimits)
        shell.warm = start == .warm ? Fixture.warmSandboxes : nil
    }

    /// Runs the host's git (not sandboxed) in `directory`, as the user would after the session.
    @discardableResult
    static func git(_ arguments: [String], in directory: String, home: String) throws -> (status: Int32, output: String) {
        let result = try HostProcess.runBlocking(
            ["/usr/bin/git"] + arguments, cwd: directory,
            environment: ["HOME": home, "PATH": "/usr/bin:/bin", "GIT_CONFIG_NOSYSTEM": "1", "LANG": "C"],
            mergeStandardError: true)
        return (result.status, result.stdoutText)
    }

    @discardableResult
    func hostGit(_ arguments: [String], in relative: String = ".") throws -> (status: Int32, output: String) {
        try Self.git(arguments, in: project.file(relative), home: home.path)
    }

    /// `git status` and `git st` on the host ran nothing the attack planted.
    func hostGitRanNothing(in relative: String = ".", sourceLocation: SourceLocation = #_sourceLocation) throws {
        try hostGit(["status"], in: relative)
        try hostGit(["st"], in: relative)
        try hostGit(["log", "-1"], in: relative)
        #expect(access(marker, F_OK) != 0, "an attack ran on the host", sourceLocation: sourceLocation)
    }

    /// The write tool's backend refuses `relative` with a message naming `rule`.
    func expectWriteRefused(
        _ relative: String, _ text: String, naming rule: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(sourceLocation: sourceLocation) {
            try files.write(project.file(relative), contents: Array(text.utf8))
        } throws: { error in
            guard let error = error as? FileOperationError else { return false }
            return error.kind == .protected && error.message.contains(rule)
        }
    }

    func run(_ command: String) async throws -> (outcome: ShellOutcome, output: String) {
        try await requireSandbox()
        let result = try await runShell(shell, command, cwd: project.path)
        #expect(result.outcome.sandbox == .bwrap)
        #expect(result.outcome.servedWarm == (start == .warm), "the attack ran \(start == .warm ? "cold" : "warm")")
        return result
    }

    /// A config that runs the marker command through each option git documents as running a
    /// program on `git status`/`git log`.
    var evilConfig: String {
        "[core]\n\trepositoryformatversion = 0\n\tfsmonitor = \"touch \(marker); false\"\n"
            + "\tpager = touch \(marker); cat\n\thooksPath = \(home.path)\n\tsshCommand = touch \(marker)\n"
            + "[include]\n\tpath = \(home.path)/evil.inc\n[includeIf \"gitdir:/\"]\n\tpath = \(home.path)/evil.inc\n"
            + "[alias]\n\tst = !touch \(marker)\n"
    }
}

/// Config redirection in VCS metadata: issue 10's attack and its class, from
/// gitrepository-layout(5), githooks(5) and git-config(1).
@Suite("Red team: git metadata") struct RedTeamGitTests {
    @Test func issueAttackThroughTheWriteToolRunsNothingOnTheHost() throws {
        let repo = try GitRepository()
        try repo.files.write(
            repo.project.file("gd/config"),
            contents: Array("[core]\n\trepositoryformatversion = 0\n\tfsmonitor = \"touch \(repo.marker); false\"\n".utf8))
        try repo.files.write(repo.project.file("gd/objects/info/keep"), contents: [])
        try repo.files.write(repo.project.file("gd/refs/heads/keep"), contents: [])
        repo.expectWriteRefused(".git/commondir", "../gd", naming: "commondir")
        #expect(!repo.project.exists(".git/commondir"))
        try repo.hostGitRanNothing()
    }

    @Test func everyConfigAndProgramEntryIsRefusedToTheWriteTool() throws {
        let repo = try GitRepository { project in
            try project.write(".git/modules/m/HEAD", "ref: refs/heads/main\n")
            try project.write(".git/modules/m/config", "[core]\n")
            try project.write(".git/worktrees/w/commondir", "../..\n")
            try project.write("sub/.git/config", "[core]\n")
        }
        let attacks: [(String, String)] = [
            (".git/config", repo.evilConfig), (".git/config.worktree", repo.evilConfig),
            (".git/commondir", "../gd"), (".git/hooks/pre-commit", "#!/bin/sh\ntouch \(repo.marker)\n"),
            (".git/hooks/fsmonitor-watchman", "#!/bin/sh\ntouch \(repo.marker)\n"),
            (".git/info/attributes", "* filter=evil diff=evil\n"), (".git/info/exclude", "*\n"),
            (".git/info/sparse-checkout", "/nothing\n"), (".git/objects/info/alternates", "/var/tmp\n"),
            (".git/objects/info/http-alternates", "http://example.invalid\n"),
            (".git/modules/m/config", repo.evilConfig), (".git/modules/m/hooks/post-checkout", "touch x\n"),
            (".git/modules/new/config", repo.evilConfig), (".git/worktrees/w/commondir", "../../../gd"),
            (".git/worktrees/w/gitdir", "/var/tmp/w\n"), (".git/worktrees/w/config.worktree", repo.evilConfig),
            (".git/remotes/origin", "URL: /var/tmp/evil\n"), (".git/branches/origin", "/var/tmp/evil\n"),
            (".git/rebase-merge/git-rebase-todo", "exec touch x\n"), (".git/sequencer/todo", "exec touch x\n"),
            (".git/rr-cache/x/postimage", "x"), (".git/description", "x"),
            ("sub/.git/config", repo.evilConfig), ("sub/.git/hooks/pre-commit", "touch x\n"),
            ("new/.git", "gitdir: ../gd\n"), ("new/.git/config", repo.evilConfig), (".git", "gitdir: gd\n"),
            (".git/refs/heads/.git/config", repo.evilConfig), ("bare/HEAD", "ref: refs/heads/main\n"),
        ]
        for (path, content) in attacks {
            repo.expectWriteRefused(path, content, naming: "git")
        }
        #expect(!repo.project.exists(".git/commondir") && !repo.project.exists("new") && !repo.project.exists("bare/HEAD"))
        try repo.hostGitRanNothing()
    }

    @Test func whatGitWritesToCommitStaysWritableToTheWriteTool() throws {
        let repo = try GitRepository()
        for path in [".git/refs/heads/topic", ".git/logs/HEAD", ".git/COMMIT_EDITMSG", ".git/FETCH_HEAD",
            ".git/ORIG_HEAD", ".git/MERGE_MSG", ".git/packed-refs", ".git/index.lock", ".git/objects/ab/cdef"]
        {
            try repo.files.write(repo.project.file(path), contents: Array("x\n".utf8))
        }
        #expect(repo.project.read(".git/COMMIT_EDITMSG") == "x\n")
    }

    @Test func protectedNamesAreRefusedAtAnyDepth() throws {
        let repo = try GitRepository()
        for path in ["sub/.vscode/tasks.json", "a/b/.envrc", "sub/.idea/workspace.xml", "sub/.mcp.json",
            "sub/.pie/policy.toml", "sub/.gitmodules", "sub/.husky/pre-commit", ".bashrc"]
        {
            repo.expectWriteRefused(path, "touch x\n", naming: "protected")
        }
        try repo.files.write(repo.project.file("sub/.bashrc"), contents: Array("# only $HOME's runs\n".utf8))
    }

    @Test(arguments: SandboxStart.allCases)
    func shellRedirectionsIntoGitMetadataFail(_ start: SandboxStart) async throws {
        let repo = try GitRepository(start: start) { project in
            try project.write(".git/modules/m/HEAD", "ref: refs/heads/main\n")
            try project.write(".git/modules/m/config", "[core]\n")
            try project.write(".git/modules/m/objects/.keep", "")
            try project.write(".git/modules/m/refs/.keep", "")
            try project.write(".git/worktrees/w/commondir", "../..\n")
            try project.write(".git/worktrees/w/HEAD", "ref: refs/heads/main\n")
            try project.write("sub/.git/config", "[core]\n")
            try project.write("wt/.git", "gitdir: ../gd\n")
            try project.write("sub/.vscode/tasks.json", "{}\n")
            try project.write("a/b/.envrc", "export A=1\n")
        }
        let config = repo.project.read(".git/config")
        let attempts = [
            "printf '\(repo.evilConfig.replacingOccurrences(of: "\n", with: "\\n"))' >> .git/config",
            "echo x > .git/hooks/pre-commit", "mkdir -p .git/info; echo '* filter=evil' > .git/info/attributes",
            "echo /var/tmp > .git/objects/info/alternates", "echo '[core]' >> .git/modules/m/config",
            "mkdir -p .git/modules/m/hooks; echo x > .git/modules/m/hooks/post-checkout",
            "echo ../../../gd > .git/worktrees/w/commondir", "echo '[core]' >> sub/.git/config",
            "echo 'gitdir: /var/tmp' > wt/.git", "mkdir .git/rebase-merge", "echo x > .git/remotes/origin",
            "mv .git/hooks .git/hooks-old", "mv .git/modules/m .git/modules/m2",
            "printf '[core]\\n\\tfsmonitor = x\\n' > .git/config.worktree",
            "echo '{\"tasks\":[]}' > sub/.vscode/tasks.json", "echo 'touch x' >> a/b/.envrc",
            "echo x > sub/.vscode/launch.json",
        ]
        for attempt in attempts {
            let (outcome, output) = try await repo.run(attempt)
            #expect(outcome.exitCode != 0, "\(attempt) succeeded: \(output)")
        }
        #expect(repo.project.read(".git/config") == config)
        #expect(!repo.project.exists(".git/hooks/pre-commit") && !repo.project.exists(".git/info/attributes"))
        #expect(!repo.project.exists(".git/objects/info/alternates") && !repo.project.exists(".git/rebase-merge"))
        #expect(!repo.project.exists(".git/config.worktree"))
        #expect(repo.project.read("sub/.vscode/tasks.json") == "{}\n" && !repo.project.exists("sub/.vscode/launch.json"))
        #expect(repo.project.read("a/b/.envrc") == "export A=1\n")
        #expect(repo.project.read(".git/modules/m/config") == "[core]\n")
        #expect(!repo.project.exists(".git/modules/m/hooks/post-checkout"))
        #expect(repo.project.read(".git/worktrees/w/commondir") == "../..\n")
        #expect(repo.project.read("sub/.git/config") == "[core]\n")
        #expect(repo.project.read("wt/.git") == "gitdir: ../gd\n")
        #expect(repo.project.exists(".git/hooks") && repo.project.exists(".git/modules/m"))
        try repo.hostGitRanNothing()
    }

    @Test(arguments: SandboxStart.allCases)
    func unmaskableEntriesAreRemovedAfterTheCommandWhichFails(_ start: SandboxStart) async throws {
        let repo = try GitRepository(start: start)
        try repo.project.write("gd/config", repo.evilConfig)
        try repo.project.write("gd/objects/info/keep", "")
        try repo.project.write("gd/refs/heads/keep", "")
        for (command, created) in [
            ("echo ../gd > .git/commondir", ".git/commondir"),
            ("mkdir -p sub/.git && echo '[core]' > sub/.git/config", "sub/.git"),
            ("mkdir -p a/b && echo 'gitdir: ../../gd' > a/b/.git", "a/b/.git"),
        ] {
            // The command itself succeeds inside the sandbox; pie undoes it and fails the call.
            let (outcome, output) = try await repo.run(command)
            #expect(outcome.exitCode == 1, "\(command): \(output)")
            #expect(outcome.warnings.contains { $0.contains(created) && $0.contains("pie removed it") })
            #expect(output.contains("pie: the command created"))
            #expect(!repo.project.exists(created))
        }
        try repo.hostGitRanNothing()
        try repo.hostGitRanNothing(in: "sub")
    }

    /// `git init --separate-git-dir`: the project's `.git` is a `gitdir:` file and the git
    /// directory has another name. The locator finds it when the policy is built, so it is closed
    /// like a `.git` directory, and commits still work inside the sandbox.
    @Test(arguments: SandboxStart.allCases)
    func aSeparateGitDirectoryIsClosedToo(_ start: SandboxStart) async throws {
        let repo = try GitRepository(start: start) { project in
            try FileManager.default.removeItem(atPath: project.file(".git"))
            try GitRepository.git(["init", "-q", "--separate-git-dir=meta"], in: project.path, home: "/var/tmp")
            try GitRepository.git(["config", "user.name", "pie"], in: project.path, home: "/var/tmp")
            try GitRepository.git(["config", "user.email", "pie@example.invalid"], in: project.path, home: "/var/tmp")
        }
        let config = repo.project.read("meta/config")
        repo.expectWriteRefused("meta/config", repo.evilConfig, naming: "'config' in a git directory stays read-only")
        repo.expectWriteRefused("meta/commondir", "../gd", naming: "commondir")
        repo.expectWriteRefused(".git", "gitdir: gd\n", naming: "gitdir")
        let (attack, _) = try await repo.run("echo '[core]' >> meta/config; echo x > meta/hooks/pre-commit")
        #expect(attack.exitCode != 0)
        #expect(repo.project.read("meta/config") == config && !repo.project.exists("meta/hooks/pre-commit"))
        let (commit, output) = try await repo.run("echo a > a.txt && git add a.txt && git commit -q -m one")
        #expect(commit.exitCode == 0, "\(output)")
        #expect(try repo.hostGit(["log", "--format=%s"]).output == "one\n")
        try repo.hostGitRanNothing()
    }

    @Test(arguments: SandboxStart.allCases)
    func gitCommitAndAddWorkInTheSandboxAndLeaveNoStrayFiles(_ start: SandboxStart) async throws {
        let repo = try GitRepository(start: start)
        let before = Set(try FileManager.default.contentsOfDirectory(atPath: repo.project.file(".git")))
        let (outcome, output) = try await repo.run(
            "echo hello > a.txt && git add a.txt && git commit -q -m first && echo more >> a.txt "
                + "&& git commit -q -am second && git log --oneline | wc -l")
        #expect(outcome.exitCode == 0, "\(output)")
        #expect(output.trimmingCharacters(in: .whitespacesAndNewlines) == "2")
        #expect(outcome.warnings.isEmpty)
        let after = Set(try FileManager.default.contentsOfDirectory(atPath: repo.project.file(".git")))
        #expect(after.subtracting(before) == ["COMMIT_EDITMSG", "index", "logs"])
        let log = try repo.hostGit(["log", "--format=%s"])
        #expect(log.output == "second\nfirst\n")
        let status = try repo.hostGit(["status", "--porcelain"])
        #expect(status.status == 0 && status.output.isEmpty)
    }
}

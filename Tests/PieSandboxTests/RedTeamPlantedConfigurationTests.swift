import Foundation
import PieJSON
import PiePolicy
import PieTestSupport
import Testing

@testable import PieSandbox

/// Configuration planted by code the policy cannot read (interpreters, `git apply`, `tar -x`):
/// a bare repository (HEAD, config, objects/, refs/) that git on the host discovers and whose
/// config it runs, `.git` entries and git-directory shapes at any depth, and protected names at
/// any depth, made by every way a program can put an entry in place (create, rename, hard link,
/// symlink, in-place write). Each runs warm and cold; the sweep after the command must move
/// exactly what the command created or changed into `PIE_DIR/quarantine`, report it, fail the
/// command, and leave the host's real git running nothing.
@Suite("Red team: configuration planted by sandboxed code") struct RedTeamPlantedConfigurationTests {
    /// A project under `preset` whose `PIE_DIR` is the fixture's state directory, with the engine
    /// that judges commands as pie would.
    struct Planted {
        var fixture: PresetFixture
        let engine: PolicyEngine
        /// The file a planted alias, fsmonitor or hook creates when git on the host runs it.
        var marker: String { fixture.home.file("owned") }

        init(
            _ preset: PolicyPreset, start: SandboxStart, flags: [(PolicyField, PolicyValue)] = [],
            prepare: (Scratch) throws -> Void = { _ in }
        ) throws {
            fixture = try PresetFixture(preset, start: start, flags: flags, prepare: prepare)
            engine = try PolicyEngine(policy: fixture.effective.policy)
        }

        var project: Scratch { fixture.project }

        /// The policy allows `command` (the sandbox is what stands in the way), then it runs.
        func allowedRun(_ command: String, sourceLocation: SourceLocation = #_sourceLocation) async throws
            -> (outcome: ShellOutcome, output: String)
        {
            let decision = engine.evaluate(.bash(command: command, cwd: nil))
            #expect(decision.allowed, "\(command): \(decision.rule): \(decision.reason)", sourceLocation: sourceLocation)
            return try await fixture.run(command)
        }

        /// A config that runs the marker through an alias (`git st`) and on `git status`.
        var evilConfig: String {
            "[core]\n\trepositoryformatversion = 0\n\tbare = true\n\tfsmonitor = \"touch \(marker); false\"\n"
                + "[alias]\n\tst = !touch \(marker)\n"
        }

        /// The single directory this fixture's commands quarantined into.
        func quarantineRun() -> String? {
            let base = fixture.state.file("quarantine")
            let runs = (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []
            return runs.count == 1 ? base + "/" + runs[0] : nil
        }

        /// Where the quarantine keeps `relative` (a path in the project).
        func quarantined(_ relative: String) -> String? {
            quarantineRun().map { $0 + project.file(relative) }
        }

        /// The host's git (not sandboxed) in `relative`, as the user would run it afterwards.
        @discardableResult
        func hostGit(_ arguments: [String], in relative: String) throws -> (status: Int32, output: String) {
            try GitRepository.git(arguments, in: project.file(relative), home: fixture.home.path)
        }

        /// `git status` and `git st` in `relative` on the host ran nothing.
        func hostGitRanNothing(in relative: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
            try hostGit(["status"], in: relative)
            try hostGit(["st"], in: relative)
            #expect(access(marker, F_OK) != 0, "git on the host ran what the command planted", sourceLocation: sourceLocation)
        }
    }

    /// The outcome reports exactly `expected` (relative path and kind), each moved into the
    /// quarantine, and the command failed.
    static func expectQuarantined(
        _ planted: Planted, _ outcome: ShellOutcome, _ output: String, _ expected: [(String, QuarantinedEntry.Kind)],
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let reported = outcome.quarantined.map { "\($0.path) \($0.kind.rawValue)" }.sorted()
        let wanted = expected.map { "\(planted.project.file($0.0)) \($0.1.rawValue)" }.sorted()
        #expect(reported == wanted, "\(output)", sourceLocation: sourceLocation)
        #expect(outcome.exitCode == 1, "the command is reported as failed: \(output)", sourceLocation: sourceLocation)
        for entry in outcome.quarantined {
            #expect(entry.movedTo == planted.quarantineRun().map { $0 + entry.path }, sourceLocation: sourceLocation)
            #expect(outcome.warnings.contains(entry.message), sourceLocation: sourceLocation)
            #expect(output.contains("pie: \(entry.message)"), sourceLocation: sourceLocation)
        }
        for (relative, _) in expected {
            var info = stat()
            #expect(lstat(planted.project.file(relative), &info) != 0, "'\(relative)' is still in the project", sourceLocation: sourceLocation)
            #expect(
                planted.quarantined(relative).map { lstat($0, &info) == 0 } == true, "'\(relative)' is not in the quarantine",
                sourceLocation: sourceLocation)
        }
    }

    // MARK: - A bare repository planted by code

    @Test(arguments: SandboxStart.allCases)
    func bareRepositoryAndNestedNamesFromPython(_ start: SandboxStart) async throws {
        let planted = try Planted(.balanced, start: start)
        try planted.project.write("plant.py", """
            import os
            for d in ['gd3/objects', 'gd3/refs', 'sub/.vscode']:
                os.makedirs(d, exist_ok=True)
            open('gd3/HEAD', 'w').write('ref: refs/heads/main\\n')
            open('gd3/config', 'w').write(\(String(reflecting: planted.evilConfig)))
            for name in ['sub/.envrc', 'sub/.vscode/tasks.json', 'sub/.mcp.json', 'sub/.gitmodules']:
                open(name, 'w').write('touch \(planted.marker)\\n')
            """)
        let (outcome, output) = try await planted.allowedRun("python3 plant.py")
        Self.expectQuarantined(planted, outcome, output, [
            ("gd3/HEAD", .gitDirectoryShape), ("gd3/config", .gitMetadata), ("sub/.envrc", .protectedName),
            ("sub/.vscode", .protectedName), ("sub/.mcp.json", .protectedName), ("sub/.gitmodules", .protectedName),
        ])
        // Nothing else was touched: the repository's data directories and the script stay.
        #expect(planted.project.exists("gd3/objects") && planted.project.exists("gd3/refs") && planted.project.exists("plant.py"))
        #expect(planted.quarantined("sub/.vscode").map { FileManager.default.fileExists(atPath: $0 + "/tasks.json") } == true)
        try planted.hostGitRanNothing(in: "gd3")

        // The oracle: put the quarantined HEAD and config back in a copy and git runs the alias,
        // so the assertion above could have failed.
        let copy = try Scratch("pie-rt-live", in: "/var/tmp")
        try FileManager.default.copyItem(atPath: planted.project.file("gd3"), toPath: copy.file("gd3"))
        for name in ["HEAD", "config"] {
            try FileManager.default.copyItem(atPath: try #require(planted.quarantined("gd3/" + name)), toPath: copy.file("gd3/" + name))
        }
        try GitRepository.git(["st"], in: copy.file("gd3"), home: planted.fixture.home.path)
        #expect(access(planted.marker, F_OK) == 0, "the planted repository would not have run on the host either")
    }

    /// A patch that makes `src/` a bare repository and plants `.envrc` one level down.
    static func evilPatch(_ config: String) -> String {
        func added(_ path: String, _ text: String) -> String {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            return "diff --git a/\(path) b/\(path)\nnew file mode 100644\n--- /dev/null\n+++ b/\(path)\n"
                + "@@ -0,0 +1,\(lines.count) @@\n" + lines.map { "+\($0)\n" }.joined()
        }
        return added("src/HEAD", "ref: refs/heads/main\n") + added("src/config", config)
            + added("src/objects/k", "k\n") + added("src/refs/k", "k\n") + added("sub7/.envrc", "touch owned\n")
    }

    @Test(arguments: SandboxStart.allCases)
    func bareRepositoryFromGitApply(_ start: SandboxStart) async throws {
        let planted = try Planted(.balanced, start: start)
        try planted.project.write("evil.patch", Self.evilPatch(planted.evilConfig))
        let (outcome, output) = try await planted.allowedRun("git apply evil.patch")
        Self.expectQuarantined(planted, outcome, output, [
            ("src/HEAD", .gitDirectoryShape), ("src/config", .gitMetadata), ("sub7/.envrc", .protectedName),
        ])
        #expect(planted.project.read("src/objects/k") == "k\n", "git apply did not run: \(output)")
        try planted.hostGitRanNothing(in: "src")
    }

    @Test(arguments: [PolicyPreset.strict, .hardened], SandboxStart.allCases)
    func bareRepositoryFromTarExtract(_ preset: PolicyPreset, _ start: SandboxStart) async throws {
        let planted = try Planted(preset, start: start, flags: [(.allowCommands, .list(["tar"]))])
        let staging = try Scratch("pie-rt-tar", in: "/var/tmp")
        try staging.write("src/HEAD", "ref: refs/heads/main\n")
        try staging.write("src/config", planted.evilConfig)
        try staging.write("src/objects/k", "k\n")
        try staging.write("src/refs/k", "k\n")
        try staging.write("deep/a/b/c/d/.envrc", "touch owned\n")
        let packed = try HostProcess.runBlocking(
            ["/bin/tar", "-cf", planted.project.file("evil.tar"), "src", "deep"], cwd: staging.path, mergeStandardError: true)
        try #require(packed.status == 0, "\(packed.stdoutText)")
        // The policy judges an added tar by balanced's allowlist, which refuses -x (it writes
        // names known only at run time); the sandbox's sweep is the second layer, so the same
        // extraction run in the sandbox without the policy's word is still contained.
        let decision = planted.engine.evaluate(.bash(command: "tar -xf evil.tar", cwd: nil))
        #expect(!decision.allowed && decision.rule == "exec_argument", "\(decision.rule): \(decision.reason)")
        let (outcome, output) = try await planted.fixture.run("tar -xf evil.tar")
        Self.expectQuarantined(planted, outcome, output, [
            ("src/HEAD", .gitDirectoryShape), ("src/config", .gitMetadata), ("deep/a/b/c/d/.envrc", .protectedName),
        ])
        try planted.hostGitRanNothing(in: "src")
    }

    // MARK: - git directories and their pointers at any depth

    @Test(arguments: SandboxStart.allCases)
    func gitdirFileBeyondTheWalkBound(_ start: SandboxStart) async throws {
        let planted = try Planted(.balanced, start: start) { project in
            try project.write("gd/HEAD", "ref: refs/heads/main\n")
            try project.write("gd/objects/.keep", "")
            try project.write("gd/refs/.keep", "")
        }
        try planted.project.write("payload.txt", planted.evilConfig)
        // gd/ is a user's bare repository the command did not touch; its config is new.
        let (outcome, output) = try await planted.fixture.run(
            "mkdir -p a/b/c/d/e && echo 'gitdir: ../../../../../gd' > a/b/c/d/e/.git && cp payload.txt gd/config")
        Self.expectQuarantined(planted, outcome, output, [("a/b/c/d/e/.git", .gitEntry), ("gd/config", .gitMetadata)])
        #expect(planted.project.read("gd/HEAD") == "ref: refs/heads/main\n", "a HEAD the command did not touch stays")
        try planted.hostGitRanNothing(in: "a/b/c/d/e")
        try planted.hostGitRanNothing(in: "gd")
    }

    @Test(arguments: SandboxStart.allCases)
    func gitDirectoryShapeThroughCommondir(_ start: SandboxStart) async throws {
        let planted = try Planted(.balanced, start: start) { project in
            try project.write("gd/objects/.keep", "")
            try project.write("gd/refs/.keep", "")
        }
        try planted.project.write("payload.txt", planted.evilConfig)
        let (outcome, output) = try await planted.fixture.run(
            "cp payload.txt gd/config && mkdir -p x/wt && echo ../../gd > x/wt/commondir "
                + "&& echo 'ref: refs/heads/main' > x/wt/HEAD")
        // gd/ has no HEAD, so its config is an ordinary file; x/wt is the git directory.
        Self.expectQuarantined(planted, outcome, output, [("x/wt/HEAD", .gitDirectoryShape), ("x/wt/commondir", .gitMetadata)])
        #expect(planted.project.exists("gd/config"))
        try planted.hostGitRanNothing(in: "x/wt")
        try planted.hostGitRanNothing(in: "gd")
    }

    @Test(arguments: SandboxStart.allCases)
    func nestedRepositoryMetadataBeyondTheWalkBound(_ start: SandboxStart) async throws {
        let planted = try Planted(.balanced, start: start) { project in
            try project.write("a/b/c/d/sub/keep", "")
        }
        let initialised = try planted.hostGit(["init", "-q"], in: "a/b/c/d/sub")
        try #require(initialised.status == 0, "\(initialised.output)")
        let config = planted.project.read("a/b/c/d/sub/.git/config")
        let (outcome, output) = try await planted.fixture.run(
            "cp a/b/c/d/sub/.git/config c.tmp && echo '[alias] st = !touch \(planted.marker)' >> c.tmp "
                + "&& mv c.tmp a/b/c/d/sub/.git/config && echo x > a/b/c/d/sub/.git/hooks/post-checkout")
        Self.expectQuarantined(planted, outcome, output, [
            ("a/b/c/d/sub/.git/config", .gitMetadata), ("a/b/c/d/sub/.git/hooks/post-checkout", .gitMetadata),
        ])
        #expect(planted.quarantined("a/b/c/d/sub/.git/config").flatMap { try? String(contentsOfFile: $0, encoding: .utf8) }?.hasPrefix(config ?? "-") == true)
        try planted.hostGitRanNothing(in: "a/b/c/d/sub")
    }

    // MARK: - Protected names, every way an entry gets its name

    static let placements: [(name: String, command: String, planted: String)] = [
        ("mkdir and echo", "mkdir -p p/q && echo 'touch owned' > p/q/.envrc", "p/q/.envrc"),
        ("rename into place", "mkdir -p p && echo '{}' > p/m.tmp && mv p/m.tmp p/.mcp.json", "p/.mcp.json"),
        ("hard link", "mkdir -p p && ln notes.txt p/.envrc", "p/.envrc"),
        ("symlink", "mkdir -p p && ln -s /var/tmp/elsewhere p/.gitmodules", "p/.gitmodules"),
        ("directory renamed into place", "mkdir -p p/v && echo '{}' > p/v/tasks.json && mv p/v p/.vscode", "p/.vscode"),
        ("case variant", "mkdir -p p && echo x > p/.ENVRC", "p/.ENVRC"),
        ("deeper than the plan's walk", "mkdir -p a/b/c/d/e/f && echo x > a/b/c/d/e/f/.envrc", "a/b/c/d/e/f/.envrc"),
        ("husky hook", "mkdir -p p/.husky && echo x > p/.husky/pre-commit", "p/.husky"),
    ]

    @Test(arguments: SandboxStart.allCases, placements.indices)
    func protectedNameAtDepth(_ start: SandboxStart, _ index: Int) async throws {
        let placement = Self.placements[index]
        let planted = try Planted(.balanced, start: start) { project in
            try project.write("notes.txt", "the user's notes\n")
        }
        let (outcome, output) = try await planted.fixture.run(placement.command)
        Self.expectQuarantined(planted, outcome, output, [(placement.planted, .protectedName)])
        #expect(planted.project.read("notes.txt") == "the user's notes\n", "\(placement.name): a hard link's other name stays")
    }

    // MARK: - What the command did not touch stays where it is

    @Test(arguments: SandboxStart.allCases)
    func preexistingEntriesAndGitsOwnWritesStay(_ start: SandboxStart) async throws {
        let planted = try Planted(.balanced, start: start) { project in
            try project.write("a/b/c/d/e/.envrc", "export USER_SETTING=1\n")
            try project.write("sub/.vscode/settings.json", "{}\n")
            try project.write("work/file", "x\n")
        }
        let bare = try planted.hostGit(["init", "-q", "--bare", "fixtures/repo.git"], in: ".")
        try #require(bare.status == 0, "\(bare.output)")
        // git rewrites HEAD (through HEAD.lock) in a repository that was one already.
        let (outcome, output) = try await planted.fixture.run(
            "git --git-dir=fixtures/repo.git symbolic-ref HEAD refs/heads/other && echo y > work/file")
        #expect(outcome.exitCode == 0, "\(output)")
        #expect(outcome.quarantined.isEmpty, "\(outcome.quarantined)")
        #expect(planted.project.read("a/b/c/d/e/.envrc") == "export USER_SETTING=1\n")
        #expect(planted.project.read("fixtures/repo.git/HEAD") == "ref: refs/heads/other\n")
        #expect(planted.quarantineRun() == nil)
    }

    @Test(arguments: SandboxStart.allCases)
    func changedPreexistingProtectedFileIsMovedWithItsContent(_ start: SandboxStart) async throws {
        let planted = try Planted(.balanced, start: start) { project in
            try project.write("a/b/c/d/e/.envrc", "export USER_SETTING=1\n")
        }
        let (outcome, output) = try await planted.fixture.run("echo 'touch owned' >> a/b/c/d/e/.envrc")
        Self.expectQuarantined(planted, outcome, output, [("a/b/c/d/e/.envrc", .protectedName)])
        let kept = planted.quarantined("a/b/c/d/e/.envrc").flatMap { try? String(contentsOfFile: $0, encoding: .utf8) }
        #expect(kept == "export USER_SETTING=1\ntouch owned\n", "the user's lines are kept with the change")
    }

    @Test(arguments: SandboxStart.allCases)
    func quarantineOnAnotherFileSystemCopiesThenRemoves(_ start: SandboxStart) async throws {
        var planted = try Planted(.balanced, start: start)
        let elsewhere = try Scratch("pie-rt-quarantine", in: "/dev/shm")
        planted.fixture.shell.quarantineDirectory = elsewhere.path
        let (outcome, output) = try await planted.fixture.run(
            "mkdir -p p/.vscode/x && echo '{}' > p/.vscode/x/tasks.json && ln -s tasks.json p/.vscode/x/link")
        #expect(outcome.quarantined.map(\.path) == [planted.project.file("p/.vscode")], "\(output)")
        let moved = try #require(outcome.quarantined.first?.movedTo)
        #expect(moved.hasPrefix(elsewhere.path + "/"))
        #expect((try? String(contentsOfFile: moved + "/x/tasks.json", encoding: .utf8)) == "{}\n")
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: moved + "/x/link")) == "tasks.json")
        #expect(!planted.project.exists("p/.vscode"))
    }

    @Test func auditRecordCarriesTheQuarantineTyped() throws {
        let state = try Scratch("pie-rt-audit", in: "/var/tmp")
        let log = AuditLog(path: state.file("audit.jsonl"))
        let entry = QuarantinedEntry(path: "/p/src/HEAD", kind: .gitDirectoryShape, movedTo: "/q/p/src/HEAD")
        try log.append(AuditRecord(
            event: .completion, session: "s", callID: "c", tool: "bash", arguments: "{}", decision: .allow,
            rule: "allowed", warnings: [entry.message], exitCode: 1, quarantined: [entry]))
        let line = try #require(state.read("audit.jsonl"))
        #expect(line.contains("\"quarantined\":[{\"path\":\"/p/src/HEAD\",\"kind\":\"git_directory_shape\",\"moved_to\":\"/q/p/src/HEAD\"}]"))
        let parsed = try #require(AuditRecord(json: try JSONParser.parseLine(String(line.dropLast()))))
        #expect(parsed.quarantined == [entry])
    }
}

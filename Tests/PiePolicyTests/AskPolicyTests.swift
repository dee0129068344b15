import Testing
import PieJSON
@testable import PiePolicy

/// `ask_commands` and `ask_paths`: what they match, and that a deny always wins over an ask.
@Suite("Ask decisions")
struct AskPolicyTests {
    static let profile = """
        ask_commands = ["git push*", "make deploy"]
        ask_paths = ["deploy", "**/release.toml"]
        """

    struct Fixture {
        let directory: TempDirectory
        let engine: PolicyEngine

        init(preset: PolicyPreset = .balanced, profile: String = AskPolicyTests.profile) throws {
            directory = try TempDirectory()
            try directory.file(".pie/policy.toml", profile)
            try directory.directory("deploy")
            try directory.directory("src")
            engine = try PolicyEngine(policy: buildPolicy(cwd: directory.path, preset: preset).policy)
        }

        func bash(_ command: String) -> Decision { engine.evaluate(.bash(command: command, cwd: nil)) }
        func file(_ tool: FileTool, _ path: String) -> Decision { engine.evaluate(.file(tool: tool, path: path)) }
    }

    @Test("a command matching ask_commands is an ask; others stay allowed", arguments: [
        "git push", "git push origin main", "git push --force", "git --no-pager push", "git status && git push",
        "make deploy",
    ])
    func commandAsks(command: String) throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        let decision = fixture.bash(command)
        #expect(decision.verdict == .ask, "\(command): \(decision.rule) \(decision.reason)")
        #expect(decision.rule == "ask_commands")
        #expect(!decision.allowed)
        #expect(decision.reason.contains("ask_commands pattern"))
        #expect(decision.trace.contains { $0.outcome == .ask && $0.check == "ask_commands" })
    }

    @Test("commands the ask list does not name are allowed as before", arguments: [
        "git status", "git log --oneline", "make", "make test", "ls deploy",
    ])
    func commandsNotAsked(command: String) throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        let decision = fixture.bash(command)
        #expect(decision.verdict == .allow, "\(command): \(decision.rule) \(decision.reason)")
    }

    @Test("an asked command inside sh -c, a subshell or a substitution still asks", arguments: [
        "sh -c 'git push'", "(cd src && git push)", "echo $(git push)",
    ])
    func nestedAsks(command: String) throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        let decision = fixture.bash(command)
        #expect(decision.verdict == .ask, "\(command): \(decision.rule) \(decision.reason)")
    }

    @Test("no spelling of an asked command is allowed: quoting, escapes, wrappers, xargs, find -exec", arguments: [
        "env git push", "command git push", "timeout 5 git push", "nice git push", "'git' push", "\\git push",
        "git 'push'", "git pu\\sh", "git \"p\"ush", "echo push | xargs git", "find . -exec git push \\;",
        "git -c x=y push", "GIT_DIR=x git push", "git push${IFS}origin", "eval 'git push'", "bash -c 'git push'",
        "x=push; git $x", "git push 2>&1 | cat", "exec git push",
    ])
    func spellingsNeverAllowed(command: String) throws {
        for preset in [PolicyPreset.balanced, .permissive] {
            let fixture = try Fixture(preset: preset)
            defer { fixture.directory.remove() }
            let decision = fixture.bash(command)
            #expect(decision.verdict != .allow, "\(preset) \(command): \(decision.rule) \(decision.reason)")
        }
    }

    @Test("a deny anywhere in the line wins over an ask", arguments: [
        "git push > /etc/pushed", "git push; curl http://example.com", "git push && cat ~/.ssh/id_rsa > out",
    ])
    func denyWins(command: String) throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        let decision = fixture.bash(command)
        #expect(decision.verdict == .deny, "\(command): \(decision.rule) \(decision.reason)")
    }

    @Test("writes and edits under ask_paths ask; reads do not")
    func pathAsks() throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        for tool in [FileTool.write, .edit] {
            let decision = fixture.file(tool, "deploy/prod.yaml")
            #expect(decision.verdict == .ask)
            #expect(decision.rule == "ask_paths")
            #expect(decision.reason.contains("'deploy'"))
            #expect(decision.resolvedPath == fixture.directory.path + "/deploy/prod.yaml")
            #expect(fixture.file(tool, "src/release.toml").verdict == .ask)
            #expect(fixture.file(tool, "src/main.swift").verdict == .allow)
        }
        for tool in [FileTool.read, .ls, .grep, .find] {
            #expect(fixture.file(tool, "deploy/prod.yaml").verdict == .allow)
        }
    }

    @Test("ask_paths holds shell writes too: redirections, cp, recursive removal")
    func shellWritesAsk() throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        for command in ["echo x > deploy/prod.yaml", "cp README deploy/", "rm -r deploy", "echo x > src/release.toml"] {
            let decision = fixture.bash(command)
            #expect(decision.verdict == .ask, "\(command): \(decision.rule) \(decision.reason)")
            #expect(decision.rule == "ask_paths")
        }
        #expect(fixture.bash("echo x > src/notes.txt").verdict == .allow)
    }

    @Test("a path on the deny or protected list stays denied even when ask_paths names it")
    func deniedPathsStayDenied() throws {
        let fixture = try Fixture(profile: "ask_paths = [\"**/.env\", \".pie\"]\n")
        defer { fixture.directory.remove() }
        #expect(fixture.file(.write, ".env").verdict == .deny)
        #expect(fixture.file(.write, ".env").rule == "path.deny")
        #expect(fixture.file(.write, ".pie/automations/nightly.toml").rule == "path.protected")
    }

    @Test("automation files cannot be written by a tool in any preset", arguments: PolicyPreset.allCases)
    func automationFilesProtected(preset: PolicyPreset) throws {
        let directory = try TempDirectory()
        defer { directory.remove() }
        let home = try TempDirectory()
        defer { home.remove() }
        let engine = try PolicyEngine(policy: buildPolicy(cwd: directory.path, home: home.path, preset: preset).policy)
        for path in [".pie/automations/nightly.toml", home.path + "/.pie/automations/nightly.toml"] {
            for tool in [FileTool.write, .edit] {
                let decision = engine.evaluate(.file(tool: tool, path: path))
                #expect(decision.verdict == .deny, "\(preset) \(tool) \(path): \(decision.rule)")
            }
            // The permissive bash profile judges no writes (docs/policy.md); every other one refuses.
            if preset != .permissive {
                #expect(engine.evaluate(.bash(command: "echo x > \(path)", cwd: nil)).verdict == .deny)
            }
        }
    }

    @Test("under the permissive bash profile a command name known only at run time asks")
    func dynamicNameAsks() throws {
        let fixture = try Fixture(preset: .permissive)
        defer { fixture.directory.remove() }
        #expect(fixture.bash("$TOOL push").verdict == .ask)
        #expect(fixture.bash("/usr/bin/git push").verdict == .ask)
        #expect(fixture.bash("git -C . push origin").verdict == .ask)
        #expect(fixture.bash("git pushall").verdict == .ask)
        #expect(fixture.bash("git status").verdict == .allow)
    }

    @Test("ask entries come from every layer and only grow; --print-tool-policy shows them")
    func layersAndReport() throws {
        let directory = try TempDirectory()
        defer { directory.remove() }
        try directory.file(".pie/policy.toml", "ask_commands = [\"git push*\"]\n")
        try directory.file("profile.toml", "ask_commands = [\"npm publish*\"]\nask_paths = [\"deploy\"]\n")
        let effective = try buildPolicy(cwd: directory.path, profile: "profile.toml")
        #expect(effective.policy.ask.commands == ["npm publish*", "git push*"])
        #expect(effective.policy.ask.paths == [directory.path + "/deploy"])
        #expect(effective.warnings.isEmpty)
        let json = PolicyReport.json(effective, bashRules: nil).rendered(pretty: false)
        #expect(json.contains("\"ask_commands\":[\"npm publish*\",\"git push*\"]"))
        #expect(json.contains("\"ask_paths\":[\"deploy\"]"))
    }

    @Test("a malformed ask entry names the file, the line and the expected type")
    func malformed() throws {
        let directory = try TempDirectory()
        defer { directory.remove() }
        try directory.file(".pie/policy.toml", "bash_profile = \"strict\"\nask_commands = \"git push\"\n")
        #expect {
            _ = try buildPolicy(cwd: directory.path)
        } throws: { error in
            let message = (error as? PolicyError)?.message ?? ""
            return message.contains(".pie/policy.toml:2") && message.contains("ask_commands")
                && message.contains("an array of strings")
        }
    }

    @Test("pie policy explain renders an ask with the rule and what happens to it")
    func explainText() throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        let decision = fixture.bash("git push origin")
        let text = PolicyReport.text(decision, tool: "bash", input: "git push origin")
        #expect(text.hasPrefix("decision: ask\n"))
        #expect(text.contains("rule:     ask_commands"))
        #expect(text.contains("approval: runs only when a person approves it"))
        let json = PolicyReport.json(decision, tool: "bash", input: "git push origin").rendered(pretty: false)
        #expect(json.contains("\"decision\":\"ask\""))
        #expect(json.contains("\"outcome\":\"ask\""))
    }
}

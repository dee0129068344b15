import PieAgent
import PieLocal
import PiePolicy
import PieRuntime
import PieSandbox
import Testing

@Suite("AgentBuilder assembles an agent from plain options")
struct AgentBuilderTests {
    /// The process's sandbox services, without the warm sandbox a long-lived agent starts ahead.
    static func builder(_ scratch: Scratch) -> AgentBuilder {
        var services = AgentServices.standard(sandbox: SandboxServices())
        services.prepareWarmSandbox = false
        return AgentBuilder(environment: scratch.environment, services: services)
    }

    /// Options that play back one text answer per prompt.
    static func replayOptions(_ scratch: Scratch, answers: [String] = ["hello from the transcript"]) throws -> AgentOptions {
        let lines = answers.map { #"[{"type":"text","text":"\#($0)"}]"# }
        try scratch.write("transcript.jsonl", lines.joined(separator: "\n") + "\n")
        return AgentOptions(
            cwd: scratch.project,
            model: ModelSelection(provider: ModelSelection.replayProvider, replayTranscript: "transcript.jsonl"),
            session: .none)
    }

    @Test func aReplayModelAnswersAPrompt() async throws {
        let scratch = try Scratch()
        var agent = try Self.builder(scratch).build(try Self.replayOptions(scratch))

        let result = await agent.send("hi")

        #expect(result.outcome == .completed)
        #expect(agent.configuration.model.provider == "replay")
        guard case .assistant(let reply)? = agent.context.last else {
            Issue.record("no assistant reply in \(agent.context)")
            return
        }
        #expect(reply.text == "hello from the transcript")
        #expect(agent.recorder == nil)
    }

    @Test func noModelIsATypedErrorThatNamesTheWaysToConfigureOne() throws {
        let scratch = try Scratch()
        let options = AgentOptions(cwd: scratch.project, session: .none)

        #expect {
            try Self.builder(scratch).build(options)
        } throws: { error in
            guard let error = error as? AgentBuildError, case .modelSelection = error else { return false }
            return error.isBadInput && error.description.contains("models.json")
        }
    }

    @Test func theReplayProviderWithoutATranscriptIsATypedError() throws {
        let scratch = try Scratch()
        let options = AgentOptions(cwd: scratch.project, model: ModelSelection(provider: "replay"), session: .none)

        #expect {
            try Self.builder(scratch).build(options)
        } throws: { error in
            guard case .replayWithoutTranscript? = error as? AgentBuildError else { return false }
            return true
        }
    }

    @Test func aNegativeRetrySettingIsRefused() throws {
        let scratch = try Scratch()
        var options = AgentOptions(
            cwd: scratch.project,
            model: ModelSelection(provider: "llamacpp", model: "m", baseURL: "http://127.0.0.1:9/v1"), session: .none)
        options.model.maxRetries = -1

        #expect {
            try Self.builder(scratch).build(options)
        } throws: { error in
            guard case .negativeSetting(.maxRetries, -1)? = error as? AgentBuildError else { return false }
            return true
        }
    }

    @Test func thePolicyPresetIsApplied() throws {
        let scratch = try Scratch()
        var options = try Self.replayOptions(scratch)
        options.policy = PolicySelection(preset: .strict)

        let agent = try Self.builder(scratch).build(options)

        #expect(agent.policy.policy.preset == .strict)
        #expect(agent.configuration.systemPrompt?.contains("preset strict") == true)
    }

    @Test func anInvalidPolicyIsATypedError() throws {
        let scratch = try Scratch()
        var options = try Self.replayOptions(scratch)
        options.policy = PolicySelection(profile: scratch.project + "/missing.toml")

        #expect {
            try Self.builder(scratch).build(options)
        } throws: { error in
            guard case .policy? = error as? AgentBuildError else { return false }
            return true
        }
    }

    @Test func aNewSessionIsCreatedAndTheLatestOneResumed() async throws {
        let scratch = try Scratch()
        var options = try Self.replayOptions(scratch)
        options.session = .new
        var first = try Self.builder(scratch).build(options)
        let created = try #require(first.recorder?.session)
        #expect(scratch.exists(created.path))
        _ = await first.send("hi")
        #expect(first.takeDiagnostics().isEmpty)

        options.session = .latest
        let resumed = try Self.builder(scratch).build(options)

        #expect(resumed.recorder?.session.id == created.id)
        #expect(resumed.context.count == 2)
        #expect(resumed.context.first == .user([.text("hi")]))
    }

    @Test func resumingWithoutASessionIsATypedError() throws {
        let scratch = try Scratch()
        var options = try Self.replayOptions(scratch)
        options.session = .latest

        #expect {
            try Self.builder(scratch).build(options)
        } throws: { error in
            guard case .noSessionToResume(let cwd)? = error as? AgentBuildError else { return false }
            return cwd == scratch.project
        }
    }

    @Test func aNamedSessionFileIsCreatedThenReopened() throws {
        let scratch = try Scratch()
        var options = try Self.replayOptions(scratch)
        options.session = .file("notes/session.jsonl")

        let created = try Self.builder(scratch).build(options)
        let reopened = try Self.builder(scratch).build(options)

        #expect(scratch.exists("notes/session.jsonl"))
        #expect(reopened.recorder?.session.id == created.recorder?.session.id)
        // No tool may rewrite the record of its own conversation.
        #expect(created.policy.stateDeny.contains { $0.path == scratch.project + "/notes/session.jsonl" })
    }

    @Test func theSpillDirectoryIsCreatedIgnoredByGit() throws {
        let scratch = try Scratch()
        _ = try Self.builder(scratch).build(try Self.replayOptions(scratch))
        #expect(scratch.exists(".pie/spill/.gitignore"))

        var options = try Self.replayOptions(scratch)
        options.spillDirectory = "build/spill"
        _ = try Self.builder(scratch).build(options)
        #expect(scratch.exists("build/spill/.gitignore"))
    }

    @Test func theSystemPromptCarriesTheProjectsContextFiles() throws {
        let scratch = try Scratch()
        try scratch.write("AGENTS.md", "Answer every question in haiku.\n")

        let agent = try Self.builder(scratch).build(try Self.replayOptions(scratch))

        let prompt = try #require(agent.configuration.systemPrompt)
        #expect(prompt.contains("Answer every question in haiku."))
        #expect(prompt.contains("preset balanced"))
    }

    @Test func aBrokenSkillIsAWarningNotASilentGap() throws {
        let scratch = try Scratch()
        try scratch.write(".pie/skills/broken/SKILL.md", "---\nname: broken\n---\nNo description.\n")
        var warnings: [AgentBuildWarning] = []

        _ = try Self.builder(scratch).build(try Self.replayOptions(scratch)) { warnings.append($0) }

        let context = warnings.compactMap { warning -> ContextDiagnostic? in
            if case .context(let diagnostic) = warning { return diagnostic }
            return nil
        }
        #expect(context.map(\.path) == [scratch.project + "/.pie/skills/broken/SKILL.md"])
    }

    @Test func aSystemPromptFileReplacesTheDefault() throws {
        let scratch = try Scratch()
        try scratch.write("AGENTS.md", "Answer every question in haiku.\n")
        try scratch.write("prompt.txt", "You are a terse reviewer.")
        var options = try Self.replayOptions(scratch)
        options.systemPromptFile = "prompt.txt"

        let agent = try Self.builder(scratch).build(options)
        #expect(agent.configuration.systemPrompt == "You are a terse reviewer.")

        options.systemPromptFile = "absent.txt"
        #expect {
            try Self.builder(scratch).build(options)
        } throws: { error in
            guard case .systemPromptFileMissing(let path)? = error as? AgentBuildError else { return false }
            return path == scratch.project + "/absent.txt"
        }
    }

    @Test func theToolRunnerAloneJudgesCallsByThePolicy() async throws {
        let scratch = try Scratch()
        try scratch.write("notes.txt", "kept\n")

        let runner = try Self.builder(scratch).toolRunner(
            policy: PolicySelection(preset: .balanced), cwd: scratch.project, auditSession: "test")
        let read = await runner.run(ToolCall(id: "1", name: "read", rawArguments: #"{"path":"notes.txt"}"#))
        let secret = await runner.run(ToolCall(id: "2", name: "read", rawArguments: #"{"path":"/etc/shadow"}"#))

        #expect(!read.isError)
        #expect(secret.isError)
        #expect(scratch.exists(".pie/spill/.gitignore"))
    }
}

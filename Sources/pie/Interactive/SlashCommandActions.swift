import ArgumentParser
import Glibc
import PieAgent
import PieLocal
import PiePolicy
import PieJSON
import PieRuntime

/// What each slash command does to the interactive session.
struct SlashCommandActions {
    var session: InteractiveSession


    mutating func perform(_ invocation: SlashCommand.Invocation) async throws(PieExit) {
        let argument = invocation.argument
        var agent = session.agent
        defer { session.agent = agent }
        switch invocation.command {
        case .help:
            print(SlashCommand.helpText)
        case .model:
            guard !argument.isEmpty else {
                let model = agent.configuration.model
                print("\(model.provider):\(model.id) (\(model.api.rawValue), \(model.baseURL))")
                return
            }
            let options = try session.modelOptions.replacingModel(argument)
            agent = try session.makeAgent(try resumeOptions(agent), options)
            session.modelOptions = options
            agent.recorder?.recordModelChange(provider: agent.configuration.model.provider, modelId: agent.configuration.model.id)
            print("model: \(agent.configuration.model.provider):\(agent.configuration.model.id)")
        case .thinking:
            guard !argument.isEmpty else {
                print("thinking: \(agent.configuration.thinking.rawValue)")
                return
            }
            guard let level = ThinkingLevel(rawValue: argument) else {
                throw PieExit.usage(
                    "/thinking: '\(argument)' is not a level; valid: \(ThinkingLevel.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            agent.configuration.thinking = level
            agent.recorder?.recordThinkingLevel(argument)
            print("thinking: \(argument)")
        case .sessions:
            try SessionListing.list(store: SessionListing.store(), cwd: agent.policy.policy.paths.projectRoot)
        case .resume:
            let options = try SessionOptions.parsed(argument.isEmpty ? ["--resume"] : ["--resume-id", argument])
            agent = try session.makeAgent(options, session.modelOptions)
            print("resumed \(agent.recorder?.session.id ?? "") (\(agent.context.count) messages)")
        case .new:
            agent = try session.makeAgent(try SessionOptions.parsed([]), session.modelOptions)
            print("new session \(agent.recorder?.session.id ?? "")")
        case .name:
            guard !argument.isEmpty else { throw PieExit.usage("usage: /name <name>") }
            _ = try update(agent) { store, current throws(SessionError) in try store.rename(&current, to: argument) }
            print("named: \(argument)")
        case .tree:
            guard let current = agent.recorder?.session else { throw PieExit.usage("no session (--no-session)") }
            if let call = current.header.parentToolCall, let parent = current.header.parentSession {
                print("sub-agent transcript of task call \(call) in \(parent)")
            }
            for entry in current.entries {
                let marker = entry.id == current.leafId ? "*" : " "
                let preview = EventPrinter.preview(entry.text ?? "", limit: 70)
                print("\(marker) \(entry.id)  ← \(entry.parentId ?? "root")  \(entry.type.rawValue)  \(preview)")
                if let delegated = entry.delegatedSession {
                    print("    ↳ sub-agent session \(delegated.id) (\(delegated.outcome))  \(delegated.path)")
                }
            }
        case .fork:
            guard let recorder = agent.recorder else { throw PieExit.usage("no session (--no-session)") }
            let forked: Session
            do throws(SessionError) {
                forked = try recorder.store.fork(recorder.session, at: argument.isEmpty ? nil : argument).session
            } catch {
                throw PieExit(code: 1, message: error.description)
            }
            agent = try session.makeAgent(try SessionOptions.parsed(["--session", forked.path]), session.modelOptions)
            print("forked into \(forked.id)")
        case .undo:
            let updated = try update(agent) { store, current throws(SessionError) in try store.undo(&current).diagnostics }
            let restored = MessageCodec.restore(from: updated.context(), path: updated.path)
            for diagnostic in restored.diagnostics { printError("pie: warning: \(diagnostic)") }
            agent.context = restored.messages
            print("undone; \(agent.context.count) messages in context")
        case .compact:
            let compactor = Compactor(provider: agent.configuration.provider, model: agent.configuration.model)
            do throws(CompactionError) {
                let result = try await compactor.compact(agent.context, instructions: argument.isEmpty ? nil : argument)
                agent.context = result.context
                agent.recorder?.recordManualCompaction(result.summary)
                print("compacted: \(result.summary.tokensBefore) tokens summarised")
            } catch {
                throw PieExit(code: 1, message: "compaction failed: \(error)")
            }
        case .save:
            let path = argument.isEmpty ? "pie-\(agent.recorder?.session.id ?? "session").md" : argument
            try Transcript.save(agent.context, to: PathNormalizer.join(agent.policy.policy.paths.projectRoot, path))
            print("saved \(path)")
        case .cost:
            var tracker = CostTracker()
            for message in agent.context {
                if let usage = message.assistant?.usage { tracker.record(usage, model: agent.configuration.model) }
            }
            let usage = tracker.totalUsage
            let cost = tracker.totalCost
            let dollars = cost.input + cost.output + cost.cacheRead + cost.cacheWrite
            print("tokens: \(usage.input) in, \(usage.output) out, \(usage.cacheRead) cache read, \(usage.cacheWrite) cache write; cost $\(dollars)")
        case .cron:
            try JobCommands(jobs: session.jobs).cron(argument)
        case .triggers:
            try JobCommands(jobs: session.jobs).triggers(argument)
        case .mcp:
            try await MCPCommands(toolbox: session.mcp).show(argument)
        case .memory:
            guard let store = agent.runner.tools.lazy.compactMap({ $0 as? MemoryTool }).first?.store else {
                throw PieExit(code: 1, message: "/memory: this session has no memory tool (no state directory)")
            }
            try await MemoryCommands(store: store, ask: TerminalQuestion.ask(style: session.printer.style)).run(argument)
        case .policy:
            print(PolicyReport.json(agent.policy, bashRules: try? PolicyEngine(policy: agent.policy.policy).bashRules).rendered(pretty: true))
        case .login:
            let parts = argument.split(separator: " ", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw PieExit.usage("usage: /login <provider> <key>") }
            try AuthCommands.login(provider: parts[0], key: parts[1], environment: session.environment)
        case .logout:
            guard !argument.isEmpty else { throw PieExit.usage("usage: /logout <provider>") }
            try AuthCommands.logout(provider: argument, environment: session.environment)
        case .quit:
            return
        }
    }

    private func resumeOptions(_ agent: AssembledAgent) throws(PieExit) -> SessionOptions {
        guard let current = agent.recorder?.session else { return try SessionOptions.parsed(["--no-session"]) }
        return try SessionOptions.parsed(["--session", current.path])
    }

    private func update(
        _ agent: AssembledAgent, _ change: (SessionStore, inout Session) throws(SessionError) -> [SessionDiagnostic]
    ) throws(PieExit) -> Session {
        guard let recorder = agent.recorder else { throw PieExit.usage("no session (--no-session)") }
        do {
            return try recorder.update(change)
        } catch {
            throw PieExit(code: 1, message: error.description)
        }
    }
}

extension SessionOptions {
    /// Session options as if given on the command line (ArgumentParser values must be parsed).
    static func parsed(_ arguments: [String]) throws(PieExit) -> SessionOptions {
        do {
            return try parse(arguments)
        } catch {
            throw PieExit.usage(fullMessage(for: error))
        }
    }
}

extension ModelOptions {
    /// These options with another `--model` (`provider:model` accepted), keeping URL and retry settings.
    func replacingModel(_ model: String) throws(PieExit) -> ModelOptions {
        var arguments = ["--model", model]
        let kept: [(String, String?)] = [
            ("--base-url", baseURL), ("--thinking", thinking?.rawValue),
            ("--provider-max-retries", maxRetries.map(String.init)),
            ("--provider-retry-budget-ms", retryBudgetMs.map(String.init)),
            ("--provider-retry-jitter", retryJitter?.rawValue),
            ("--fallback-model", fallbackModels), ("--request-timeout-ms", requestTimeoutMs.map(String.init)),
        ]
        for case let (flag, value?) in kept { arguments += [flag, value] }
        do {
            return try ModelOptions.parse(arguments)
        } catch {
            throw PieExit.usage(ModelOptions.fullMessage(for: error))
        }
    }
}

import PieLocal

/// The state of one run of `AgentLoop`: the working context, what the run added, and the turn
/// count. Follows pi's loop: an inner loop while the model calls tools or steering is pending,
/// an outer loop while follow-ups are queued.
struct AgentRun {
    /// Sent as the failed reply's error when a compact-and-retry did not make the prompt fit.
    static let overflowRecoveryFailed =
        "Context overflow recovery failed after one compact-and-retry attempt. Try reducing context or switching to a larger-context model."

    /// Its tools may be replaced between turns (`AgentHooks.refreshTools`).
    private(set) var configuration: AgentConfiguration
    private(set) var context: [AgentMessage]
    private var newMessages: [AgentMessage] = []
    private var usage = Usage()
    private var turn = 0

    init(configuration: AgentConfiguration, context: [AgentMessage]) {
        self.configuration = configuration
        self.context = context
    }

    private var hooks: AgentHooks { configuration.hooks }

    mutating func execute(prompts: [AgentMessage]) async -> AgentRunResult {
        emit(.agentStart)
        var pending = prompts + (await hooks.getSteeringMessages())
        while true {
            while true {
                if Task.isCancelled { return finish(.aborted, delivering: pending) }
                if let limit = configuration.maxTurns, turn >= limit {
                    return finish(.maxTurnsReached(limit), delivering: pending)
                }
                turn += 1
                emit(.turnStart(turn: turn))
                for message in pending { deliver(message) }
                pending = []

                let reply = await streamReply()
                record(.assistant(reply))
                if let replyUsage = reply.usage { usage = usage + replyUsage }
                if reply.stopReason == .aborted {
                    emit(.turnEnd(turn: turn, message: reply, toolResults: []))
                    return finish(.aborted)
                }
                if reply.stopReason == .error {
                    emit(.turnEnd(turn: turn, message: reply, toolResults: []))
                    return finish(.failed(message: reply.errorMessage ?? "The model call failed."))
                }

                let results = await runTools(of: reply)
                for result in results { deliver(.toolResult(result)) }
                emit(.turnEnd(turn: turn, message: reply, toolResults: results))
                if Task.isCancelled { return finish(.aborted) }
                let summary = TurnSummary(turn: turn, message: reply, toolResults: results, newMessages: newMessages)
                if await hooks.shouldStop(summary) { return finish(.stoppedByHook) }

                pending = await hooks.getSteeringMessages()
                if reply.toolCalls.isEmpty && pending.isEmpty { break }
            }
            pending = await hooks.getFollowUpMessages()
            if pending.isEmpty { return finish(.completed) }
        }
    }

    // MARK: - Model call

    /// One reply, after `transformContext`; a context overflow compacts and retries once.
    private mutating func streamReply() async -> AssistantMessage {
        if let tools = await hooks.refreshTools(configuration.tools) { configuration.tools = tools }
        if let failure = await transform(.beforeRequest) { return failure }
        var (reply, error) = await streamOnce()
        guard case .contextOverflow? = error else { return reply }
        // The failed reply stays in the session but is never replayed.
        record(.assistant(reply))
        if let failure = await transform(.contextOverflow) { return failure }
        (reply, error) = await streamOnce()
        if case .contextOverflow? = error { reply.errorMessage = Self.overflowRecoveryFailed }
        return reply
    }

    /// Runs the hook; when it fails, returns the failed reply that ends the run.
    private mutating func transform(_ reason: ContextTransformReason) async -> AssistantMessage? {
        do {
            context = try await hooks.transformContext(context, reason)
            return nil
        } catch {
            let aborted = Task.isCancelled
            let reply = AssistantMessage(
                stopReason: aborted ? .aborted : .error,
                errorMessage: aborted ? "Cancelled." : "Preparing the context failed: \(error)",
                model: configuration.model.qualifiedID)
            emit(.messageStart(.assistant(reply)))
            emit(.messageEnd(.assistant(reply)))
            return reply
        }
    }

    private func streamOnce() async -> (AssistantMessage, ProviderError?) {
        let request = ChatRequest(
            systemPrompt: configuration.systemPrompt, messages: hooks.convertToLlm(context),
            tools: configuration.toolSpecs, thinking: configuration.thinking, maxTokens: configuration.maxTokens)
        let onEvent = hooks.onEvent
        let assembler = ReplyAssembler(model: configuration.model.qualifiedID) { message, event in
            onEvent(.messageUpdate(message: message, event: event))
        }
        emit(.messageStart(.assistant(assembler.message)))
        var failure: ProviderError?
        do {
            try await configuration.provider.stream(
                request, model: configuration.model, apiKey: configuration.apiKey,
                onEvent: { assembler.receive($0) })
        } catch let error as ProviderError {
            failure = error
        } catch is CancellationError {
            failure = .cancelled
        } catch {
            failure = .streamError(message: "\(error)")
        }
        failure = failure ?? assembler.reportedError
        var reply = assembler.message
        if Task.isCancelled || failure == .cancelled {
            reply.stopReason = .aborted
            reply.errorMessage = ProviderError.cancelled.message
        } else if let failure {
            reply.stopReason = .error
            reply.errorMessage = failure.message
        }
        emit(.messageEnd(.assistant(reply)))
        return (reply, failure)
    }

    // MARK: - Tools

    /// Gates every call in source order (lookup, validation, `beforeToolCall`), then runs the
    /// allowed ones.
    private func runTools(of reply: AssistantMessage) async -> [ToolResultMessage] {
        let calls = reply.toolCalls
        guard !calls.isEmpty else { return [] }
        let turn = ToolCallTurn(assistantMessage: reply, context: context)
        var prepared: [PreparedToolCall] = []
        for call in calls {
            emit(.toolExecutionStart(call: call))
            prepared.append(await configuration.tools.prepare(call, hooks: hooks, turn: turn))
        }
        return await ToolBatch(runner: configuration.tools, hooks: hooks).run(prepared)
    }

    // MARK: - Bookkeeping

    private func emit(_ event: AgentEvent) { hooks.onEvent(event) }

    /// Adds a message the events already announced.
    private mutating func record(_ message: AgentMessage) {
        context.append(message)
        newMessages.append(message)
    }

    /// Adds and announces a message that did not stream (prompts, steering, tool results).
    private mutating func deliver(_ message: AgentMessage) {
        emit(.messageStart(message))
        record(message)
        emit(.messageEnd(message))
    }

    /// Ends the run; messages still pending (a prompt cancelled before its first turn, steering
    /// past the turn limit) are recorded first so the session keeps them.
    private mutating func finish(_ outcome: AgentRunOutcome, delivering pending: [AgentMessage] = []) -> AgentRunResult {
        for message in pending { deliver(message) }
        emit(.agentEnd(outcome: outcome, messages: newMessages))
        return AgentRunResult(outcome: outcome, newMessages: newMessages, context: context, usage: usage)
    }
}

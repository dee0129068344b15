import PieAgent
import PieHooks
import PieLocal
import PiePolicy
import PieSystem

/// One sub-agent, from start to answer: its session (linked to the parent's `task` call), its
/// tools over the parent's backends and policy, its own turn and time budget, and its answer
/// capped as the call's result. The parent's cancellation (Ctrl+C, its timeout) and
/// `TaskSupervisor.stopAll` both cancel it; what it wrote stays in its session.
struct SubAgentRun {
    var delegation: TaskDelegation
    var task: TaskArguments
    /// The `task` call's context: the parent runner's policy and backends, the call id, and
    /// where progress goes.
    var context: ToolContext

    /// The paragraph a sub-agent's system prompt ends with: who it answers and how.
    static let note =
        "You are a sub-agent: another agent delegated one task to you. You do not see its conversation; what you know is "
        + "the task below and what your tools show you. Work with your tools, then give your answer as your final "
        + "message: it goes back to that agent as your result, so make it complete and concise. You cannot ask questions back."

    func run() async throws(ToolFailure) -> ToolResult {
        try context.checkCancelled()
        let acting = task.tools.contains { FileTool(rawValue: $0)?.access != .read }
        if acting {
            guard await delegation.acting.enter() else { throw ToolFailure("The sub-agent was cancelled before it started.") }
        }
        defer { if acting { delegation.acting.leave() } }
        let supervisor = delegation.supervisor
        if let reason = supervisor.stopReason { throw ToolFailure("The sub-agent was not started: \(reason).") }
        let recorder = try openSession()
        let configuration = try configuration(recorder: recorder)

        let body = Task { await AgentLoop(configuration: configuration).run(prompts: [.user(task.prompt)]) }
        guard let ticket = supervisor.start(cancel: { body.cancel() }) else {
            // Stopped between the check above and now: it ends before its first request.
            body.cancel()
            return finish(await body.value, timedOut: false, recorder: recorder)
        }
        let clock = delegation.clock
        let timeout = Duration.milliseconds(delegation.limits.timeoutMilliseconds)
        let timer = Task { () -> Bool in
            do {
                try await clock.sleep(for: timeout)
            } catch {
                return false
            }
            body.cancel()
            return true
        }
        let result = await withTaskCancellationHandler {
            await body.value
        } onCancel: {
            body.cancel()
        }
        timer.cancel()
        supervisor.finish(ticket)
        let timedOut = await timer.value
        return finish(result, timedOut: timedOut, recorder: recorder)
    }

    /// A session of its own, named in its header as the answer to this call of the parent's
    /// session; none when the parent keeps none.
    private func openSession() throws(ToolFailure) -> SessionRecorder? {
        guard let parent = delegation.parentSession else { return nil }
        do {
            return try SessionOpening.recorder(
                .delegated(parentSession: parent, toolCall: context.callID), directory: delegation.pieDirectory,
                cwd: delegation.project)
        } catch {
            throw ToolFailure("The sub-agent's session could not be created: \(error.description)")
        }
    }

    private func configuration(recorder: SessionRecorder?) throws(ToolFailure) -> AgentConfiguration {
        let runner = ToolRunner(tools: CodingTools.named(task.tools).tools, context: context)
        let systemPrompt: String
        do {
            // The parent's build reported these context files' problems already.
            systemPrompt = try SystemPrompt.make(
                file: nil, project: delegation.project, pieDirectory: delegation.pieDirectory, runner: runner,
                policy: context.policy, onWarning: { _ in }) + "\n\n" + Self.note
        } catch {
            throw ToolFailure("The sub-agent's system prompt could not be made: \(error.description)")
        }
        let lifecycle = lifecycleHooks(recorder: recorder)
        var gate = delegation.callerGate
        if let lifecycle, lifecycle.wants(.preTool) {
            let own = gate
            gate = { context in
                let answer = await own(context)
                guard answer.allowed else { return answer }
                return await lifecycle.gate(context)
            }
        }
        var hooks: AgentHooks
        do {
            hooks = try AgentHooks(beforeToolCall: gate).guarded(
                by: context.policy, audit: (delegation.auditLog, delegation.auditSession), approver: delegation.approver,
                parentCall: context.callID)
        } catch {
            throw ToolFailure("The sub-agent's policy could not be loaded: \(error.message)")
        }
        let progress = TaskProgress(description: task.description, update: context.onUpdate)
        let events: @Sendable (AgentEvent) -> Void = { event in
            recorder?.observe(event)
            progress.observe(event)
            lifecycle?.observe(event)
        }
        hooks.onEvent = events
        let compaction = AutoCompaction(
            compactor: Compactor(provider: delegation.provider, model: delegation.model), systemPrompt: systemPrompt,
            onEvent: events)
        hooks.transformContext = compaction.hook
        let supervisor = delegation.supervisor
        hooks.shouldStop = { summary in supervisor.record(summary.message.usage) }
        return AgentConfiguration(
            provider: delegation.provider, model: delegation.model, systemPrompt: systemPrompt, tools: runner,
            thinking: delegation.thinking, hooks: hooks, maxTurns: delegation.limits.maxTurns)
    }

    /// The parent's hooks for this sub-agent: its own session and model in every payload, marked
    /// with the parent's session and this call; without a session of its own, the parent's id.
    private func lifecycleHooks(recorder: SessionRecorder?) -> LifecycleHooks? {
        guard let parent = delegation.lifecycle else { return nil }
        let session = HookSessionInfo(
            sessionID: recorder?.session.id ?? parent.session.sessionID, cwd: parent.session.cwd,
            modelProvider: delegation.model.provider, modelID: delegation.model.id, thinkingLevel: delegation.thinking.rawValue)
        return parent.delegated(session: session, toolCallID: context.callID)
    }

    /// The sub-agent's final message as the call's result, cut to the cap, with a first line
    /// saying why it stopped when it did not finish.
    private func finish(_ result: AgentRunResult, timedOut: Bool, recorder: SessionRecorder?) -> ToolResult {
        let replies = result.newMessages.compactMap(\.assistant)
        let answer = replies.last(where: { !$0.text.isEmpty })?.text ?? ""
        let outcome = timedOut && result.outcome == .aborted ? AgentRunOutcome.timedOut : result.outcome
        let session = recorder?.session
        var text = answer
        if let stop = stopNote(outcome, turns: replies.count) {
            text = answer.isEmpty ? stop : stop + "\n\n" + answer
        } else if answer.isEmpty {
            text = "(the sub-agent gave no answer)"
        }
        let limit = min(delegation.limits.maxResultBytes, context.maxOutputBytes)
        let total = text.utf8.count
        let truncated = total > limit
        if truncated {
            let kept = TextPrefix.within(text, bytes: limit)
            let whole = session.map { " The whole transcript is in session \($0.id)." } ?? ""
            text = kept + "\n\n[Result truncated: \(kept.utf8.count) of \(total) bytes shown.\(whole)]"
        }
        let details = TaskDetails(
            description: task.description, tools: task.tools, outcome: outcome.name, turns: replies.count,
            sessionID: session?.id, sessionPath: session?.path, inputTokens: result.usage.input,
            outputTokens: result.usage.output, truncated: truncated)
        return ToolResult(content: [.text(text)], isError: outcome != .completed, details: .task(details))
    }

    private func stopNote(_ outcome: AgentRunOutcome, turns: Int) -> String? {
        switch outcome {
        case .completed:
            return nil
        case .timedOut:
            return "[The sub-agent ran out of time (\(delegation.limits.timeoutMilliseconds) ms) after \(turns) turns; its last answer, if any, follows.]"
        case .maxTurnsReached(let limit):
            return "[The sub-agent used all its \(limit) turns without finishing; its last answer, if any, follows.]"
        case .stoppedByHook, .aborted:
            if let reason = delegation.supervisor.stopReason { return "[The sub-agent was stopped: \(reason).]" }
            return "[The sub-agent was cancelled.]"
        case .failed(let message):
            return "[The sub-agent failed: \(message)]"
        }
    }
}

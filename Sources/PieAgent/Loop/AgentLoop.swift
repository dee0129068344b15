import PieLocal

/// The agent loop: prompt → model → tools → model … until the model stops asking for tools and
/// no follow-up is queued. Policy, audit, compaction and queues are hooks in the configuration;
/// the loop only sequences them and reports pi's events.
///
/// Cancel the task that awaits `run` to abort: the cancellation reaches the provider stream and
/// every running tool, the partial reply is kept with stop reason `aborted`, and no further turn
/// starts.
public struct AgentLoop: Sendable {
    public var configuration: AgentConfiguration

    public init(configuration: AgentConfiguration) {
        self.configuration = configuration
    }

    /// Runs `prompts` on top of `context` (the messages of earlier runs, possibly compacted).
    /// Never throws: every failure is an outcome, and every message produced is in the result.
    public func run(prompts: [AgentMessage], context: [AgentMessage] = []) async -> AgentRunResult {
        let configuration = configuration
        guard let timeout = configuration.turnTimeout else {
            var run = AgentRun(configuration: configuration, context: context)
            return await run.execute(prompts: prompts)
        }
        // The deadline cancels an unstructured child so the caller's own cancellation and the
        // timeout reach the run the same way; the caller's cancellation is forwarded explicitly.
        let body = Task {
            var run = AgentRun(configuration: configuration, context: context)
            return await run.execute(prompts: prompts)
        }
        let deadline = Task { () -> Bool in
            do {
                try await configuration.clock.sleep(for: timeout)
            } catch {
                return false
            }
            body.cancel()
            return true
        }
        var result = await withTaskCancellationHandler {
            await body.value
        } onCancel: {
            body.cancel()
        }
        deadline.cancel()
        if await deadline.value, result.outcome == .aborted {
            result.outcome = .timedOut
        }
        return result
    }
}

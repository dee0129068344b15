import PieLocal

/// One tool call of a reply, after the gate: either runnable or already answered (unknown tool,
/// blocked by policy).
struct ToolJob: Sendable {
    enum Verdict: Sendable {
        case run(ToolExecutionMode)
        case answered(ToolResult)
    }

    var index: Int
    var context: ToolCallContext
    var verdict: Verdict
}

/// Runs the calls of one reply: neighbouring parallel calls concurrently, `alone` calls by
/// themselves, and returns the results in source order whatever order they finished in.
struct ToolBatch: Sendable {
    var executor: any ToolExecutor
    var hooks: AgentHooks

    func run(_ jobs: [ToolJob]) async -> [ToolResultMessage] {
        var results = [ToolResultMessage?](repeating: nil, count: jobs.count)
        var concurrent: [ToolJob] = []
        for job in jobs {
            switch job.verdict {
            case .answered(let execution):
                results[job.index] = await finalize(job, execution)
            case .run(.parallel):
                concurrent.append(job)
            case .run(.alone):
                for (index, result) in await runConcurrently(concurrent) { results[index] = result }
                concurrent = []
                results[job.index] = await execute(job)
            }
        }
        for (index, result) in await runConcurrently(concurrent) { results[index] = result }
        return results.compactMap { $0 }
    }

    private func runConcurrently(_ jobs: [ToolJob]) async -> [(Int, ToolResultMessage)] {
        await withTaskGroup(of: (Int, ToolResultMessage).self) { group in
            for job in jobs {
                group.addTask { (job.index, await execute(job)) }
            }
            var finished: [(Int, ToolResultMessage)] = []
            for await result in group { finished.append(result) }
            return finished
        }
    }

    private func execute(_ job: ToolJob) async -> ToolResultMessage {
        let call = job.context.call
        let onEvent = hooks.onEvent
        let execution: ToolResult
        if Task.isCancelled {
            execution = .error("Cancelled before it ran.")
        } else {
            do {
                execution = try await executor.execute(call) { partial in
                    onEvent(.toolExecutionUpdate(call: call, partial: partial))
                }
            } catch {
                execution = .error("Tool \(call.name) failed: \(error)")
            }
        }
        return await finalize(job, execution)
    }

    /// Lets the audit/redaction hook see and replace the result, then reports it.
    private func finalize(_ job: ToolJob, _ execution: ToolResult) async -> ToolResultMessage {
        let final = await hooks.afterToolCall(job.context, execution)
        hooks.onEvent(.toolExecutionEnd(call: job.context.call, result: final))
        return ToolResultMessage(call: job.context.call, result: final)
    }
}

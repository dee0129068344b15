import PieLocal

/// Runs the calls of one reply after the gate (`ToolRunner.prepare`): answered calls (unknown
/// tool, invalid arguments, blocked) finish at once, neighbouring parallel calls run
/// concurrently, `alone` calls by themselves; results come back in source order whatever order
/// they finished in.
struct ToolBatch: Sendable {
    var runner: ToolRunner
    var hooks: AgentHooks

    func run(_ calls: [PreparedToolCall]) async -> [ToolResultMessage] {
        var results = [ToolResultMessage?](repeating: nil, count: calls.count)
        var concurrent: [(Int, PreparedToolCall)] = []
        for (index, call) in calls.enumerated() {
            if !call.runs {
                results[index] = await finish(call)
            } else if call.mode == .parallel {
                concurrent.append((index, call))
            } else {
                for (index, result) in await runConcurrently(concurrent) { results[index] = result }
                concurrent = []
                results[index] = await finish(call)
            }
        }
        for (index, result) in await runConcurrently(concurrent) { results[index] = result }
        return results.compactMap { $0 }
    }

    private func runConcurrently(_ calls: [(Int, PreparedToolCall)]) async -> [(Int, ToolResultMessage)] {
        await withTaskGroup(of: (Int, ToolResultMessage).self) { group in
            for (index, call) in calls {
                group.addTask { (index, await finish(call)) }
            }
            var finished: [(Int, ToolResultMessage)] = []
            for await result in group { finished.append(result) }
            return finished
        }
    }

    /// Runs the call (or not, when it was answered), lets `afterToolCall` have the result, and reports it.
    private func finish(_ prepared: PreparedToolCall) async -> ToolResultMessage {
        let call = prepared.call
        let onEvent = hooks.onEvent
        let result = await runner.finish(prepared, hooks: hooks) { partial in
            onEvent(.toolExecutionUpdate(call: call, partial: partial))
        }
        onEvent(.toolExecutionEnd(call: call, result: result))
        return ToolResultMessage(call: call, result: result)
    }
}

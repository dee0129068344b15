import PieAgent
import PieLocal
import Synchronization
import PieJSON

/// Test double at the `ToolExecutor` seam. A tool's behaviour is read from its arguments:
/// `delay_ms` (sleeps cooperatively), `rendezvous` (waits until that many calls have run at once,
/// which proves concurrency without timing), `fail` (throws), `output` (result text); tools named
/// in `alone` ask to run by themselves. It records concurrency and cancellation.
final class ScriptedTools: ToolExecutor {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private struct State {
        var running = 0
        var maxRunning = 0
        var started: [String] = []
        var finished: [String] = []
        var cancelled: [String] = []
        /// For each call, how many others were running when it started.
        var overlapAtStart: [String: Int] = [:]
    }

    private let state = Mutex(State())
    private let alone: Set<String>

    init(alone: Set<String> = []) {
        self.alone = alone
    }

    var maxRunning: Int { state.withLock { $0.maxRunning } }
    var started: [String] { state.withLock { $0.started } }
    var finished: [String] { state.withLock { $0.finished } }
    var cancelled: [String] { state.withLock { $0.cancelled } }
    func overlapAtStart(_ id: String) -> Int? { state.withLock { $0.overlapAtStart[id] } }

    static let specs: [ToolSpec] = ["read", "bash", "slow", "exclusive", "broken"].map {
        ToolSpec(name: $0, description: "test tool \($0)", parameters: ["type": "object"])
    }

    func executionMode(for toolName: String) -> ToolExecutionMode {
        alone.contains(toolName) ? .alone : .parallel
    }

    func execute(_ call: ToolCall, onUpdate: @escaping @Sendable (ToolResult) -> Void) async throws -> ToolResult {
        state.withLock { state in
            state.overlapAtStart[call.id] = state.running
            state.running += 1
            state.maxRunning = max(state.maxRunning, state.running)
            state.started.append(call.id)
        }
        defer {
            state.withLock { state in
                state.running -= 1
                state.finished.append(call.id)
            }
        }
        if let peers = call.arguments["rendezvous"]?.intValue {
            let met = await eventually { state.withLock { $0.maxRunning >= peers } }
            if !met { return .error("rendezvous of \(peers) never happened") }
        }
        if let delay = call.arguments["delay_ms"]?.intValue {
            do {
                try await Task.sleep(for: .milliseconds(delay))
            } catch {
                state.withLock { $0.cancelled.append(call.id) }
                return .error("cancelled")
            }
        }
        if let message = call.arguments["fail"]?.stringValue { throw Failure(description: message) }
        onUpdate(ToolResult(content: [.text("working")]))
        return ToolResult(content: [.text(call.arguments["output"]?.stringValue ?? "ok \(call.id)")])
    }
}

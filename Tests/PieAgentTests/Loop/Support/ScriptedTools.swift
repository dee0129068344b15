import PieAgent
import PieLocal
import Synchronization
import PiePolicy

/// Test tools behind the loop's real dispatch path (`runner`). A tool's behaviour is read from
/// its arguments: `delay_ms` (sleeps cooperatively), `rendezvous` (waits until that many calls have run at once,
/// which proves concurrency without timing), `fail` (throws), `output` (result text); tools named
/// in `alone` ask to run by themselves. It records concurrency and cancellation.
final class ScriptedTools: Sendable {
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

    func runsAlone(_ toolName: String) -> Bool {
        alone.contains(toolName)
    }

    var maxRunning: Int { state.withLock { $0.maxRunning } }
    var started: [String] { state.withLock { $0.started } }
    var finished: [String] { state.withLock { $0.finished } }
    var cancelled: [String] { state.withLock { $0.cancelled } }
    func overlapAtStart(_ id: String) -> Int? { state.withLock { $0.overlapAtStart[id] } }

    static let names = ["read", "bash", "slow", "exclusive", "broken"]

    /// The tools over this script, as the loop runs them: through `ToolRunner`'s dispatch path.
    var runner: ToolRunner {
        ToolRunner(tools: Self.names.map { ScriptedTool(name: $0, script: self) }, context: ToolFixture().context())
    }

    func execute(
        callID: String, name: String, arguments: ValidatedArguments, onUpdate: @Sendable (ToolResult) -> Void
    ) async throws(ToolFailure) -> ToolResult {
        state.withLock { state in
            state.overlapAtStart[callID] = state.running
            state.running += 1
            state.maxRunning = max(state.maxRunning, state.running)
            state.started.append(callID)
        }
        defer {
            state.withLock { state in
                state.running -= 1
                state.finished.append(callID)
            }
        }
        if let peers = arguments.integer("rendezvous") {
            let met = await eventually { state.withLock { $0.maxRunning >= peers } }
            if !met { throw ToolFailure("rendezvous of \(peers) never happened") }
        }
        if let delay = arguments.integer("delay_ms") {
            do {
                try await Task.sleep(for: .milliseconds(delay))
            } catch {
                state.withLock { $0.cancelled.append(callID) }
                throw ToolFailure("cancelled")
            }
        }
        if let message = arguments.string("fail") { throw ToolFailure(message) }
        onUpdate(ToolResult(content: [.text("working")]))
        return ToolResult(content: [.text(arguments.string("output") ?? "ok \(callID)")])
    }
}

/// One tool of a `ScriptedTools` script; it asks the script what to do.
private struct ScriptedTool: AgentTool {
    let name: String
    let script: ScriptedTools

    var description: String { "test tool \(name)" }
    var runsAlone: Bool { script.runsAlone(name) }

    let schema = ToolSchema([
        .init("command", .string, "a command, for the policy gate to judge"),
        .init("path", .string, "a path"),
        .init("delay_ms", .integer(minimum: 0), "sleep this long, cooperatively"),
        .init("rendezvous", .integer(minimum: 1), "wait until this many calls run at once"),
        .init("fail", .string, "throw with this message"),
        .init("output", .string, "the result text"),
    ])

    func policyRequest(_ arguments: ValidatedArguments, context: ToolContext) -> ToolRequest {
        .bash(command: arguments.string("command") ?? name, cwd: nil)
    }

    func execute(_ arguments: ValidatedArguments, context: ToolContext) async throws(ToolFailure) -> ToolResult {
        try await script.execute(callID: context.callID, name: name, arguments: arguments, onUpdate: context.onUpdate)
    }
}

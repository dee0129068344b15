import Foundation
import PieAgent
import PieJSON
import PieLocal
import PieRuntime
import PieSandbox
import PieTestSupport
import Synchronization
import Testing

/// What the `task` tests share: a builder whose turn timeout and sub-agents' time budgets run on a
/// test clock,
/// options over a scripted OpenAI-compatible server, and the replies such a server streams.
enum TaskFixtures {
    static func builder(_ scratch: Scratch, clock: any AgentClock = ContinuousAgentClock()) -> AgentBuilder {
        var services = AgentServices.standard(sandbox: SandboxServices())
        services.prepareWarmSandbox = false
        services.clock = clock
        return AgentBuilder(environment: scratch.environment, services: services)
    }

    static func options(_ scratch: Scratch, _ server: ScriptedServer, limits: TaskLimits = TaskLimits()) -> AgentOptions {
        AgentOptions(
            cwd: scratch.project,
            model: ModelSelection(provider: "llamacpp", model: "m", baseURL: server.baseURL, maxRetries: 0),
            session: .new, tasks: limits)
    }

    /// One streamed reply asking for these calls, `(id, tool, arguments)`, with token usage.
    static func calls(_ calls: [(String, String, JSONValue)], usage: Int = 10) -> String {
        var chunks: [JSONValue] = []
        for (index, call) in calls.enumerated() {
            let toolCall: JSONValue = [
                "index": .integer(index), "id": .string(call.0), "type": "function",
                "function": ["name": .string(call.1), "arguments": .string(JSONWriter.string(call.2))],
            ]
            chunks.append(["choices": [["index": 0, "delta": ["tool_calls": [toolCall]]]]])
        }
        chunks.append(["choices": [["index": 0, "delta": [:], "finish_reason": "tool_calls"]]])
        chunks.append(["choices": [], "usage": ["prompt_tokens": .integer(usage), "completion_tokens": .integer(usage)]])
        return sse(chunks)
    }

    /// One streamed reply of plain text.
    static func text(_ text: String) -> String {
        sse([
            ["choices": [["index": 0, "delta": ["content": .string(text)]]]],
            ["choices": [["index": 0, "delta": [:], "finish_reason": "stop"]]],
        ])
    }

    static func task(_ description: String, _ prompt: String, tools: [String]? = nil) -> JSONValue {
        var object: JSONObject = ["description": .string(description), "prompt": .string(prompt)]
        if let tools { object["tools"] = .array(tools.map(JSONValue.string)) }
        return .object(object)
    }

    private static func sse(_ chunks: [JSONValue]) -> String {
        HTTPResponses.sse((chunks.map { JSONWriter.string($0) } + ["[DONE]"]).map { "data: \($0)\n\n" }.joined())
    }

    /// The tool results of a run, in order.
    static func toolResults(_ messages: [AgentMessage]) -> [ToolResultMessage] {
        messages.compactMap { message in
            if case .toolResult(let result) = message { return result }
            return nil
        }
    }

    static func text(_ result: ToolResultMessage) -> String {
        result.content.compactMap { block in
            if case .text(let text) = block { return text }
            return nil
        }.joined()
    }

    /// A `task` result's `details` as the session stores them (`TaskDetails.json`).
    struct Details {
        var tools: [String]
        var outcome: String
        var turns: Int?
        var sessionID: String?
        var sessionPath: String?
        var inputTokens: Int?
        var truncated: Bool
    }

    static func taskDetails(_ result: ToolResultMessage) -> Details? {
        guard let details = result.details, let outcome = details["outcome"]?.stringValue else { return nil }
        return Details(
            tools: (details["tools"]?.arrayValue ?? []).compactMap(\.stringValue), outcome: outcome,
            turns: details["turns"]?.intValue, sessionID: details["sessionId"]?.stringValue,
            sessionPath: details["sessionPath"]?.stringValue, inputTokens: details["inputTokens"]?.intValue,
            truncated: details["truncated"]?.boolValue == true)
    }

    /// The names of the tools a request offered the model.
    static func offeredTools(_ request: RecordedRequest) -> [String] {
        (request.json?["tools"]?.arrayValue ?? []).compactMap { $0["function"]?["name"]?.stringValue }
    }

    /// The default audit log the agent opened. It is named by the day the agent was built, so a test
    /// that runs across midnight UTC finds it by listing the directory, not by today's date.
    static func auditLogPath(_ scratch: Scratch) throws -> String {
        let today = AuditLog.defaultPath(environment: scratch.environment)
        let directory = String(today[..<(today.lastIndex(of: "/") ?? today.endIndex)])
        let logs = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".jsonl") }
        try #require(logs.count == 1, "expected one audit log in \(directory), found \(logs)")
        return directory + "/" + logs[0]
    }

    /// The audit log's records as JSON objects.
    static func auditRecords(_ scratch: Scratch) throws -> [JSONValue] {
        let text = try String(contentsOfFile: auditLogPath(scratch), encoding: .utf8)
        return try text.split(separator: "\n").map { try JSONParser.parseLine(String($0)) }
    }

    /// Polls `condition` every 10 ms for at most `seconds` (a server thread the test waits for).
    static func eventually(seconds: Int = 60, _ condition: () -> Bool) async -> Bool {
        for _ in 0..<(seconds * 100) {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return condition()
    }
}

/// A clock whose waits end when the test calls `expire`, so a time budget runs out on cue instead
/// of after real time. `expire(after:)` ends only the waits of that length, so a test can end the
/// parent's turn timeout while a sub-agent's own budget keeps running.
final class GateClock: AgentClock {
    private struct Waiter {
        var duration: Duration
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        /// Every wait of these lengths (every wait at all with nil) ends at once.
        var expired: [Duration] = []
        var expiredAll = false
        var waiters: [Int: Waiter] = [:]
        /// Waits cancelled before they were registered.
        var cancelled: Set<Int> = []
        var next = 0

        func isExpired(_ duration: Duration) -> Bool { expiredAll || expired.contains(duration) }
    }

    private let state = Mutex(State())

    /// Ends every wait, now and later.
    func expire() {
        end { state in
            state.expiredAll = true
        }
    }

    /// Ends every wait of `duration`, now and later.
    func expire(after duration: Duration) {
        end { state in
            state.expired.append(duration)
        }
    }

    private func end(_ change: (inout State) -> Void) {
        let ended = state.withLock { state -> [CheckedContinuation<Void, any Error>] in
            change(&state)
            let ids = state.waiters.filter { state.isExpired($0.value.duration) }.map(\.key)
            return ids.compactMap { state.waiters.removeValue(forKey: $0)?.continuation }
        }
        for continuation in ended { continuation.resume() }
    }

    /// How many waits are running now.
    var waiting: Int { state.withLock { $0.waiters.count } }

    /// The lengths of the waits running now.
    var waitingFor: [Duration] { state.withLock { $0.waiters.values.map(\.duration) } }

    func sleep(for duration: Duration) async throws {
        let id = state.withLock { state -> Int in
            state.next += 1
            return state.next
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let now = state.withLock { state -> Bool? in
                    if state.cancelled.contains(id) { return false }
                    if state.isExpired(duration) { return true }
                    state.waiters[id] = Waiter(duration: duration, continuation: continuation)
                    return nil
                }
                switch now {
                case true?: continuation.resume()
                case false?: continuation.resume(throwing: CancellationError())
                case nil: break
                }
            }
        } onCancel: {
            let waiter = state.withLock { state in
                guard let waiter = state.waiters.removeValue(forKey: id) else {
                    state.cancelled.insert(id)
                    return nil as Waiter?
                }
                return waiter
            }
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }
}

/// Approves every call, as a person who says yes would.
struct YesApprover: Approver {
    func approve(_ request: ApprovalRequest) async -> ApprovalAnswer {
        ApprovalAnswer(approved: true, source: .user, note: "approved by the test")
    }
}

/// Approves every call and counts how many questions were open at once. A question about a
/// `write` stays open until a second one arrives (or 1 s passes), so two asked side by side
/// are seen side by side.
final class CountingApprover: Approver {
    private let state = Mutex<(open: Int, mostOpen: Int, asked: [String])>((0, 0, []))

    var mostOpen: Int { state.withLock { $0.mostOpen } }
    var asked: [String] { state.withLock { $0.asked } }

    func approve(_ request: ApprovalRequest) async -> ApprovalAnswer {
        state.withLock { state in
            state.open += 1
            state.mostOpen = max(state.mostOpen, state.open)
            state.asked.append(request.tool)
        }
        if request.tool == "write" { _ = await TaskFixtures.eventually(seconds: 1) { state.withLock { $0.open >= 2 } } }
        state.withLock { $0.open -= 1 }
        return ApprovalAnswer(approved: true, source: .user, note: "approved by the test")
    }
}

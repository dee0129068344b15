import PieLocal
import Synchronization
import PieJSON

/// Test double at the `Provider` protocol seam: each call plays the next script of stream
/// events, pauses and failures, and records the request it was given. It stands in for a model
/// server so loop tests are exact and fast; the wire adapter is covered separately.
final class ScriptedProvider: Provider {
    enum Step: Sendable {
        case event(StreamEvent)
        /// Sleeps cooperatively, so cancellation interrupts it like a stalled socket.
        case pause(milliseconds: Int)
        case fail(ProviderError)
    }

    private struct State {
        var scripts: [[Step]]
        var requests: [ChatRequest] = []
    }

    private let state: Mutex<State>

    init(_ scripts: [[Step]]) {
        state = Mutex(State(scripts: scripts))
    }

    var requests: [ChatRequest] { state.withLock { $0.requests } }

    func stream(
        _ request: ChatRequest, model: ModelDescriptor, apiKey: String?,
        onEvent: @escaping @Sendable (StreamEvent) -> Void
    ) async throws {
        let script = state.withLock { state -> [Step]? in
            state.requests.append(request)
            return state.scripts.isEmpty ? nil : state.scripts.removeFirst()
        }
        guard let script else { throw ProviderError.streamError(message: "scripted provider has no script left") }
        for step in script {
            switch step {
            case .event(let event): onEvent(event)
            case .pause(let milliseconds): try await Task.sleep(for: .milliseconds(milliseconds))
            case .fail(let error): throw error
            }
        }
    }

    /// A reply that says `text` and stops.
    static func text(_ text: String, usage: Usage? = nil) -> [Step] {
        var steps: [Step] = [.event(.textDelta(text))]
        if let usage { steps.append(.event(.usage(usage))) }
        return steps + [.event(.stop(.stop))]
    }

    /// A reply that calls tools, each given as (id, name, arguments).
    static func calls(_ calls: [(String, String, JSONValue)], text: String? = nil) -> [Step] {
        var steps: [Step] = text.map { [.event(.textDelta($0))] } ?? []
        for (index, call) in calls.enumerated() {
            steps.append(.event(.toolCallStart(index: index, id: call.0, name: call.1)))
            steps.append(.event(.toolCallEnd(index: index, call: ToolCall(id: call.0, name: call.1, arguments: call.2))))
        }
        return steps + [.event(.stop(.toolUse))]
    }
}

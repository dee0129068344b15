import PieJSON
import PieLocal
import Synchronization

/// Builds an `AssistantMessage` from stream events as they arrive on the provider's thread, and
/// reports each change. Thread-safe because the provider calls back on its transport thread while
/// the loop reads the result from its own task.
final class ReplyAssembler: Sendable {
    private struct State {
        var message: AssistantMessage
        /// Where each streamed tool call (by its stream index) sits in `message.content`.
        var toolSlots: [Int: Int] = [:]
        var error: ProviderError?
    }

    private let state: Mutex<State>
    private let onChange: @Sendable (AssistantMessage, StreamEvent) -> Void

    init(model: String, onChange: @escaping @Sendable (AssistantMessage, StreamEvent) -> Void) {
        state = Mutex(State(message: AssistantMessage(model: model)))
        self.onChange = onChange
    }

    var message: AssistantMessage { state.withLock { $0.message } }

    /// The error the stream reported as an event (the retry layer's final `.error`).
    var reportedError: ProviderError? { state.withLock { $0.error } }

    func receive(_ event: StreamEvent) {
        let snapshot = state.withLock { state -> AssistantMessage in
            Self.apply(event, to: &state)
            return state.message
        }
        onChange(snapshot, event)
    }

    private static func apply(_ event: StreamEvent, to state: inout State) {
        switch event {
        case .textDelta(let text):
            if case .text(let previous)? = state.message.content.last {
                state.message.content[state.message.content.count - 1] = .text(previous + text)
            } else {
                state.message.content.append(.text(text))
            }
        case .thinkingDelta(let text):
            if case .thinking(let previous, let signature)? = state.message.content.last {
                state.message.content[state.message.content.count - 1] = .thinking(previous + text, signature: signature)
            } else {
                state.message.content.append(.thinking(text, signature: nil))
            }
        case .thinkingSignature(let signature):
            guard let slot = state.message.content.lastIndex(where: { if case .thinking = $0 { true } else { false } }),
                case .thinking(let text, _) = state.message.content[slot]
            else { return }
            state.message.content[slot] = .thinking(text, signature: signature)
        case .toolCallStart(let index, let id, let name):
            state.toolSlots[index] = state.message.content.count
            state.message.content.append(.toolCall(ToolCall(id: id, name: name, arguments: .object([:]))))
        case .toolCallDelta(let index, _, let partial):
            guard let slot = state.toolSlots[index], case .toolCall(var call) = state.message.content[slot] else { return }
            call.arguments = partial
            state.message.content[slot] = .toolCall(call)
        case .toolCallEnd(let index, let call):
            if let slot = state.toolSlots[index] {
                state.message.content[slot] = .toolCall(call)
            } else {
                state.toolSlots[index] = state.message.content.count
                state.message.content.append(.toolCall(call))
            }
        case .usage(let usage):
            state.message.usage = usage
        case .stop(let reason):
            state.message.stopReason = AssistantStopReason(reason)
        case .error(let error):
            state.error = error
        case .retrying, .fallback:
            // The failed attempt's partial output is not part of the reply.
            state.message.content = []
            state.message.usage = nil
            state.toolSlots = [:]
            if case .fallback(_, let to, _) = event { state.message.model = to }
        case .notice:
            break
        }
    }
}

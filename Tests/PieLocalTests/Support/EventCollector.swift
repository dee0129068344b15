import Synchronization
@testable import PieLocal

/// Collects events delivered on the transport thread for assertions.
final class EventCollector: Sendable {
    private let storage = Mutex<[StreamEvent]>([])

    var events: [StreamEvent] { storage.withLock { $0 } }

    var onEvent: @Sendable (StreamEvent) -> Void {
        { [self] event in storage.withLock { $0.append(event) } }
    }

    var text: String {
        events.reduce(into: "") { text, event in if case .textDelta(let piece) = event { text += piece } }
    }

    var thinking: String {
        events.reduce(into: "") { text, event in if case .thinkingDelta(let piece) = event { text += piece } }
    }

    var toolCalls: [ToolCall] {
        events.compactMap { event in if case .toolCallEnd(_, let call) = event { return call } else { return nil } }
    }

    var stopReason: StopReason? {
        events.lazy.compactMap { event in if case .stop(let reason) = event { return reason } else { return nil } }.first
    }

    var usage: Usage? {
        events.lazy.compactMap { event in if case .usage(let usage) = event { return usage } else { return nil } }.first
    }
}

enum TestModels {
    static func local(_ baseURL: String, api: WireAPI = .openAICompletions, reasoning: Bool = false) -> ModelDescriptor {
        ModelDescriptor(id: "qwen3-coder", api: api, provider: "llamacpp", baseURL: baseURL, reasoning: reasoning)
    }
}

/// One recorded model response: its events, and what the request answering it should contain.
public struct ReplayResponse: Sendable, Hashable {
    public var events: [ReplayEvent]
    /// An explicit `expect` event: how many tool results the request must end with.
    public var expectedToolResults: Int?
    /// An explicit `expect` event: text one of those trailing tool results must contain.
    public var expectedResultText: String?
    /// 1-based line in the transcript, for error messages.
    public var line: Int

    public init(events: [ReplayEvent], expectedToolResults: Int? = nil, expectedResultText: String? = nil, line: Int) {
        self.events = events
        self.expectedToolResults = expectedToolResults
        self.expectedResultText = expectedResultText
        self.line = line
    }

    /// The tool calls this response makes, in order.
    public var toolCallIDs: [String] {
        events.compactMap { event in
            if case .toolCall(let id, _, _) = event { return id }
            return nil
        }
    }
}

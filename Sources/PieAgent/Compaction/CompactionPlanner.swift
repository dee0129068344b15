/// Decides when to compact and where to cut. Pure: no model calls, so it is tested directly.
public struct CompactionPlanner: Sendable {
    /// Already scaled to the window (see `CompactionSettings.scaled(toWindow:)`).
    public var settings: CompactionSettings
    public var contextWindow: Int

    public init(settings: CompactionSettings, contextWindow: Int) {
        self.settings = settings.scaled(toWindow: contextWindow)
        self.contextWindow = contextWindow
    }

    /// Whether the context estimate exceeds `window − reserve`.
    public func shouldCompact(_ messages: [AgentMessage], systemPrompt: String? = nil) -> Bool {
        settings.enabled
            && TokenEstimator.contextTokens(messages, systemPrompt: systemPrompt) > contextWindow - settings.reserveTokens
    }

    /// Where to cut so at least `keepRecentTokens` (or `keepTokens`, when given) stay verbatim.
    /// The cut is always at a user or assistant message, so a tool result is never separated
    /// from its call. `nil` when nothing older than the kept part exists.
    public func plan(_ messages: [AgentMessage], keepTokens: Int? = nil, systemPrompt: String? = nil) -> CompactionPlan? {
        let summaryIndex = messages.lastIndex { if case .compactionSummary = $0 { true } else { false } }
        let start = summaryIndex.map { $0 + 1 } ?? messages.startIndex
        guard start < messages.endIndex else { return nil }

        let keep = keepTokens ?? settings.keepRecentTokens
        var kept = 0
        var reach = messages.endIndex
        while reach > start && kept < keep {
            reach -= 1
            kept += TokenEstimator.tokens(in: messages[reach])
        }
        if kept < keep { return nil }
        guard let cut = boundary(in: messages, from: reach, after: start) else { return nil }

        var previous: CompactionSummary?
        if let summaryIndex, case .compactionSummary(let summary) = messages[summaryIndex] { previous = summary }
        return CompactionPlan(
            toSummarise: Array(messages[start..<cut]), kept: Array(messages[cut...]), firstKeptIndex: cut,
            previousSummary: previous, tokensBefore: TokenEstimator.contextTokens(messages, systemPrompt: systemPrompt))
    }

    /// The first valid cut at or after `index`, else the last one before it; never `start`
    /// itself, which would summarise nothing.
    private func boundary(in messages: [AgentMessage], from index: Int, after start: Int) -> Int? {
        let forward = messages[max(index, start + 1)...].indices.first { Self.isBoundary(messages[$0]) }
        if let forward { return forward }
        return messages[(start + 1)..<max(index, start + 1)].indices.last { Self.isBoundary(messages[$0]) }
    }

    static func isBoundary(_ message: AgentMessage) -> Bool {
        switch message {
        case .user, .assistant: true
        case .toolResult, .compactionSummary: false
        }
    }
}

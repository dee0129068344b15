/// The `transformContext` hook that compacts automatically: before a request when the estimate
/// exceeds `window − reserve`, and unconditionally after a context-overflow error (keeping half
/// as much, since the full keep evidently did not fit).
public struct AutoCompaction: Sendable {
    public var compactor: Compactor
    public var systemPrompt: String?
    /// Receives `compaction_start`/`compaction_end`; the CLI also stores the entry from here.
    public var onEvent: @Sendable (AgentEvent) -> Void

    public init(compactor: Compactor, systemPrompt: String? = nil, onEvent: @escaping @Sendable (AgentEvent) -> Void) {
        self.compactor = compactor
        self.systemPrompt = systemPrompt
        self.onEvent = onEvent
    }

    /// Use as `AgentHooks.transformContext`.
    public var hook: @Sendable ([AgentMessage], ContextTransformReason) async throws -> [AgentMessage] {
        { messages, reason in try await transform(messages, reason: reason) }
    }

    /// "Nothing to compact" leaves the context as it is; other failures propagate and end the run
    /// with the reason, since sending an over-full context would fail anyway.
    public func transform(_ messages: [AgentMessage], reason: ContextTransformReason) async throws(CompactionError) -> [AgentMessage] {
        guard compactor.settings.enabled else { return messages }
        let planner = compactor.planner
        let keep: Int?
        switch reason {
        case .beforeRequest:
            guard planner.shouldCompact(messages, systemPrompt: systemPrompt) else { return messages }
            keep = nil
        case .contextOverflow:
            keep = planner.settings.keepRecentTokens / 2
        }
        onEvent(.compactionStart(reason: reason))
        do {
            let result = try await compactor.compact(messages, keepTokens: keep)
            onEvent(.compactionEnd(reason: reason, summary: result.summary))
            return result.context
        } catch .nothingToCompact {
            onEvent(.compactionEnd(reason: reason, summary: nil))
            return messages
        }
    }
}

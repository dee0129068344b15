import PieLocal

/// Summarises the older part of a context with the current model. The summariser's request is
/// trimmed to fit the window (oldest messages dropped, with a marker), so compaction also works
/// on 8k–32k local models, where the history being compacted is by definition too big to send.
public struct Compactor: Sendable {
    public var provider: any Provider
    public var model: ModelDescriptor
    public var apiKey: String?
    public var settings: CompactionSettings

    /// Room left for wrapping, role tokens and estimate error.
    static let slackTokens = 128
    /// The smallest reply budget that can hold a useful structured summary.
    static let minimumSummaryTokens = 256

    public init(provider: any Provider, model: ModelDescriptor, apiKey: String? = nil, settings: CompactionSettings = CompactionSettings()) {
        self.provider = provider
        self.model = model
        self.apiKey = apiKey
        self.settings = settings
    }

    public var planner: CompactionPlanner { CompactionPlanner(settings: settings, contextWindow: model.contextWindow) }

    /// Compacts `messages`: `/compact [instructions]` calls this directly, automatic compaction
    /// through `AutoCompaction`. `keepTokens` overrides how much stays verbatim.
    public func compact(
        _ messages: [AgentMessage], instructions: String? = nil, keepTokens: Int? = nil
    ) async throws(CompactionError) -> CompactionResult {
        guard let plan = planner.plan(messages, keepTokens: keepTokens) else { throw .nothingToCompact }

        var activity = FileActivity(
            read: Set(plan.previousSummary?.readFiles ?? []), modified: Set(plan.previousSummary?.modifiedFiles ?? []))
        activity.record(plan.toSummarise)

        let request = try fittedRequest(plan, instructions: instructions)
        let text = try await summarise(request)
        let summary = CompactionSummary(
            summary: text + SummaryPrompt.fileLists(activity), firstKeptIndex: plan.firstKeptIndex,
            tokensBefore: plan.tokensBefore, readFiles: activity.readOnly, modifiedFiles: activity.modifiedSorted)
        return CompactionResult(summary: summary, context: [.compactionSummary(summary)] + plan.kept)
    }

    /// The summary request, keeping the newest messages that fit the window.
    func fittedRequest(_ plan: CompactionPlan, instructions: String?) throws(CompactionError) -> ChatRequest {
        let window = model.contextWindow
        let outputTokens = max(Self.minimumSummaryTokens, planner.settings.reserveTokens * 4 / 5)
        let previous = plan.previousSummary?.summary
        let frame = SummaryPrompt.request(conversation: "", previous: previous, instructions: instructions)
        let fixed = TokenEstimator.tokens(in: SummaryPrompt.system) + TokenEstimator.tokens(in: frame) + Self.slackTokens
        var budget = window - outputTokens - fixed
        guard budget > 0 else { throw .windowTooSmall(contextWindow: window, needed: outputTokens + fixed) }

        let blocks = ConversationSerializer.blocks(plan.toSummarise)
        var included: [String] = []
        for block in blocks.reversed() {
            let cost = TokenEstimator.tokens(in: block) + 1
            guard cost <= budget else { break }
            budget -= cost
            included.append(block)
        }
        included.reverse()
        let omitted = blocks.count - included.count
        if omitted > 0 {
            included.insert(
                "[compaction note: omitted \(omitted) older message(s) to fit the summariser's context window]", at: 0)
        }
        let conversation = included.joined(separator: "\n\n")
        return ChatRequest(
            systemPrompt: SummaryPrompt.system,
            messages: [.user(SummaryPrompt.request(conversation: conversation, previous: previous, instructions: instructions))],
            maxTokens: outputTokens)
    }

    private func summarise(_ request: ChatRequest) async throws(CompactionError) -> String {
        let assembler = ReplyAssembler(model: model.qualifiedID) { _, _ in }
        do {
            try await provider.stream(request, model: model, apiKey: apiKey) { assembler.receive($0) }
        } catch let error as ProviderError {
            throw .summariserFailed(error.message)
        } catch {
            throw .summariserFailed("\(error)")
        }
        if let error = assembler.reportedError { throw .summariserFailed(error.message) }
        let text = assembler.message.text
        guard text.contains(where: { !$0.isWhitespace }) else { throw .emptySummary }
        return text
    }
}

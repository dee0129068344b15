/// What a resumed session feeds the model: the messages along the active path, plus the thinking
/// level and model in effect there (pi's `buildSessionContext`).
public struct SessionContext: Sendable {
    /// A context item and the entry it comes from; the agent loop converts these to its own messages.
    public enum Item: Sendable, Equatable {
        /// A `message` entry: `entry.message` is the stored conversation message.
        case message(SessionEntry)
        /// A `custom_message` entry, sent to the model as a user message.
        case customMessage(SessionEntry)
        /// A `branch_summary` entry, sent as a user message introducing the summary.
        case branchSummary(SessionEntry)
        /// The latest `compaction` on the path: its summary replaces everything before `firstKeptEntryId`.
        case compactionSummary(SessionEntry)

        public var entry: SessionEntry {
            switch self {
            case .message(let e), .customMessage(let e), .branchSummary(let e), .compactionSummary(let e): e
            }
        }
    }

    public struct ModelRef: Sendable, Equatable {
        public var provider: String
        public var modelId: String

        public init(provider: String, modelId: String) {
            self.provider = provider
            self.modelId = modelId
        }
    }

    /// Assistant `stopReason`s dropped on replay. pi drops `aborted` and `error` turns in every
    /// provider's message transform: the user saw them, but resending half an answer or an error
    /// confuses the model. They stay in the file.
    public static let defaultDroppedStopReasons: Set<String> = ["aborted", "error"]

    public var items: [Item]
    /// From the last `thinking_level_change` on the path; `"off"` by default.
    public var thinkingLevel: String
    /// From the last `model_change`, or the provider/model of the last assistant message.
    public var model: ModelRef?
    /// Problems walking the path (missing parents, cycles).
    public var diagnostics: [SessionDiagnostic]

    /// Builds the context from a root → leaf path.
    public init(
        path: [SessionEntry], diagnostics: [SessionDiagnostic] = [],
        droppingStopReasons dropped: Set<String> = defaultDroppedStopReasons
    ) {
        var thinkingLevel = "off"
        var model: ModelRef?
        var compactionIndex: Int?
        for (index, entry) in path.enumerated() {
            switch entry.type {
            case .thinkingLevelChange:
                if let level = entry.thinkingLevel { thinkingLevel = level }
            case .modelChange:
                if let change = entry.modelChange { model = ModelRef(provider: change.provider, modelId: change.modelId) }
            case .message:
                if let used = entry.messageModel { model = ModelRef(provider: used.provider, modelId: used.model) }
            case .compaction:
                compactionIndex = index
            default:
                break
            }
        }

        var items: [Item] = []
        func add(_ entry: SessionEntry) {
            switch entry.type {
            case .message:
                if entry.role == "assistant", let reason = entry.stopReason, dropped.contains(reason) { return }
                if entry.hasMessage { items.append(.message(entry)) }
            case .customMessage:
                items.append(.customMessage(entry))
            case .branchSummary:
                if let summary = entry.summary, !summary.isEmpty { items.append(.branchSummary(entry)) }
            default:
                break
            }
        }
        if let compactionIndex {
            let compaction = path[compactionIndex]
            items.append(.compactionSummary(compaction))
            let firstKept = compaction.firstKeptEntryId
            if let start = path[..<compactionIndex].firstIndex(where: { $0.id == firstKept }) {
                for entry in path[start..<compactionIndex] { add(entry) }
            }
            for entry in path[(compactionIndex + 1)...] { add(entry) }
        } else {
            for entry in path { add(entry) }
        }
        self.items = items
        self.thinkingLevel = thinkingLevel
        self.model = model
        self.diagnostics = diagnostics
    }
}

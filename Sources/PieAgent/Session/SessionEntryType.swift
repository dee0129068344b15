/// The `type` tag of a session tree entry.
///
/// A struct rather than an enum so a file written by a newer pi or pie, with entry types this build
/// does not know, still loads: unknown entries keep their place in the tree and are skipped on replay.
public struct SessionEntryType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public var description: String { rawValue }

    public static let message = SessionEntryType(rawValue: "message")
    public static let modelChange = SessionEntryType(rawValue: "model_change")
    public static let thinkingLevelChange = SessionEntryType(rawValue: "thinking_level_change")
    public static let compaction = SessionEntryType(rawValue: "compaction")
    public static let branchSummary = SessionEntryType(rawValue: "branch_summary")
    public static let custom = SessionEntryType(rawValue: "custom")
    public static let customMessage = SessionEntryType(rawValue: "custom_message")
    public static let label = SessionEntryType(rawValue: "label")
    public static let sessionInfo = SessionEntryType(rawValue: "session_info")
    /// c4pt0r/pie's leaf move: `{targetId?}` makes `targetId` the active leaf without rewriting history.
    public static let leaf = SessionEntryType(rawValue: "leaf")

    /// Every type pi v3 defines plus pie's `leaf`.
    public static let known: [SessionEntryType] = [
        .message, .modelChange, .thinkingLevelChange, .compaction, .branchSummary, .custom, .customMessage,
        .label, .sessionInfo, .leaf,
    ]
}

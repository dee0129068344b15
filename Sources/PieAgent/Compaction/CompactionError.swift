/// Why a compaction did not happen.
public enum CompactionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Everything fits in the kept part; there is nothing older to summarise.
    case nothingToCompact
    /// The summariser's own instructions and reply do not fit the window.
    case windowTooSmall(contextWindow: Int, needed: Int)
    /// The model call for the summary failed.
    case summariserFailed(String)
    /// The model answered with no text.
    case emptySummary

    public var description: String {
        switch self {
        case .nothingToCompact:
            "Nothing to compact: the conversation already fits in the recent part that is kept verbatim."
        case .windowTooSmall(let window, let needed):
            "Cannot compact: the summary request needs about \(needed) tokens but the context window is \(window). Use a model with a larger window."
        case .summariserFailed(let reason):
            "Compaction failed while asking the model for a summary: \(reason)"
        case .emptySummary:
            "Compaction failed: the model returned an empty summary. Try /compact again or switch models."
        }
    }
}

/// The result of a compaction as it is stored (the session's `compaction` entry) and as it
/// stands in the context for the messages it replaced.
public struct CompactionSummary: Sendable, Hashable {
    /// The structured summary: goal, progress, decisions, next steps, then the file lists.
    public var summary: String
    /// Index, in the context that was compacted, of the first message kept verbatim; the session
    /// maps it to `firstKeptEntryId`.
    public var firstKeptIndex: Int
    /// The context estimate before compacting.
    public var tokensBefore: Int
    /// Files only read, computed from tool calls (never from the model's words).
    public var readFiles: [String]
    /// Files written or edited, computed from tool calls.
    public var modifiedFiles: [String]

    public init(summary: String, firstKeptIndex: Int, tokensBefore: Int, readFiles: [String] = [], modifiedFiles: [String] = []) {
        self.summary = summary
        self.firstKeptIndex = firstKeptIndex
        self.tokensBefore = tokensBefore
        self.readFiles = readFiles
        self.modifiedFiles = modifiedFiles
    }
}

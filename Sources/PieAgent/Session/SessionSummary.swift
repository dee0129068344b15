/// What a session list shows: enough to pick a session without loading it.
public struct SessionSummary: Sendable, Equatable {
    public var id: String
    public var path: String
    public var cwd: String
    /// The latest `session_info` name.
    public var name: String?
    /// Path of the session this one was forked from.
    public var parentSession: String?
    /// Creation time (header timestamp), epoch milliseconds.
    public var created: Int64
    /// Time of the last entry (else creation), epoch milliseconds.
    public var updated: Int64
    public var entryCount: Int
    /// The start of the first user message, on one line.
    public var preview: String

    /// Longest preview kept, in characters.
    public static let previewLength = 120

    public init(
        id: String, path: String, cwd: String, name: String?, parentSession: String?, created: Int64, updated: Int64,
        entryCount: Int, preview: String
    ) {
        self.id = id
        self.path = path
        self.cwd = cwd
        self.name = name
        self.parentSession = parentSession
        self.created = created
        self.updated = updated
        self.entryCount = entryCount
        self.preview = preview
    }

    /// Summarises a loaded file; `fallbackMilliseconds` (the file's mtime) stands in for
    /// timestamps that do not parse.
    public init(path: String, header: SessionHeader, entries: [SessionEntry], fallbackMilliseconds: Int64) {
        let tree = SessionTree(entries: entries)
        let created = Timestamp.parseISO(header.timestamp) ?? fallbackMilliseconds
        let lastTimestamp = entries.last.flatMap { Timestamp.parseISO($0.timestamp) }
        self.init(
            id: header.id, path: path, cwd: header.cwd, name: tree.name, parentSession: header.parentSession,
            created: created, updated: max(lastTimestamp ?? created, created), entryCount: entries.count,
            preview: Self.preview(of: entries))
    }

    /// The first user message's text, whitespace collapsed and cut to `previewLength`.
    public static func preview(of entries: [SessionEntry]) -> String {
        guard let text = entries.first(where: { $0.role == "user" })?.text else { return "" }
        return oneLine(text, limit: previewLength)
    }

    static func oneLine(_ text: String, limit: Int) -> String {
        let collapsed = text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        return collapsed.count > limit ? String(collapsed.prefix(limit - 1)) + "…" : collapsed
    }
}

/// An open session: its file, header and tree, kept in step as entries are appended.
///
/// A value: appending mutates this copy and the file. Another process appending to the same file
/// is safe (the file lock serialises writes), but its entries only appear here after a reload.
public struct Session: Sendable {
    public let file: SessionFile
    public let header: SessionHeader
    public private(set) var tree: SessionTree
    /// Problems found when the file was loaded (torn tail, corrupt lines, …), for the user to see.
    public let loadDiagnostics: [SessionDiagnostic]

    public init(file: SessionFile, header: SessionHeader, tree: SessionTree, loadDiagnostics: [SessionDiagnostic] = []) {
        self.file = file
        self.header = header
        self.tree = tree
        self.loadDiagnostics = loadDiagnostics
    }

    /// Loads the session at `file.path`.
    public static func load(_ file: SessionFile) throws(SessionError) -> Session {
        let load = try file.load()
        return Session(
            file: file, header: load.header, tree: SessionTree(entries: load.entries), loadDiagnostics: load.diagnostics)
    }

    public var id: String { header.id }
    public var path: String { file.path }
    public var leafId: String? { tree.leafId }
    public var name: String? { tree.name }
    public var entries: [SessionEntry] { tree.entries }

    /// The context along the active path, for resuming the conversation.
    public func context(droppingStopReasons dropped: Set<String> = SessionContext.defaultDroppedStopReasons)
        -> SessionContext
    {
        let path = tree.activePath(filePath: file.path)
        return SessionContext(path: path.entries, diagnostics: path.diagnostics, droppingStopReasons: dropped)
    }

    /// Builds entries for `contents` (fresh ids, each chained to the previous one from the current
    /// leaf), writes them in one append, then adds them to the tree.
    ///
    /// Returns the new entries and any repair the append made to the file's tail.
    @discardableResult
    public mutating func append(
        _ contents: [SessionEntryContent], milliseconds: Int64 = Timestamp.nowMilliseconds()
    ) throws(SessionError) -> (entries: [SessionEntry], diagnostics: [SessionDiagnostic]) {
        var generator = SystemRandomNumberGenerator()
        var staged = tree
        var entries: [SessionEntry] = []
        let timestamp = Timestamp.iso(milliseconds: milliseconds)
        for content in contents {
            let entry = SessionEntry(
                id: staged.newEntryId(using: &generator), parentId: staged.leafId, timestamp: timestamp,
                content: content)
            staged.append(entry)
            entries.append(entry)
        }
        let diagnostics = try file.append(entries)
        tree = staged
        return (entries, diagnostics)
    }

    /// Appends one entry; see `append(_:milliseconds:)`.
    @discardableResult
    public mutating func append(_ content: SessionEntryContent) throws(SessionError) -> SessionEntry? {
        try append([content]).entries.first
    }

    /// Moves the leaf back before the last user prompt by appending a `leaf` entry.
    /// Returns false (and writes nothing) when there is no user message to undo.
    @discardableResult
    public mutating func undo() throws(SessionError) -> Bool {
        guard let target = tree.undoTarget() else { return false }
        try append([.leaf(targetId: target.entryId)])
        return true
    }

    /// Makes `entryId` (nil: before the first entry) the active leaf; the tree is not rewritten.
    public mutating func moveLeaf(to entryId: String?) throws(SessionError) {
        if let entryId, !tree.contains(id: entryId) { throw .entryNotFound(id: entryId, path: path) }
        try append([.leaf(targetId: entryId)])
    }
}

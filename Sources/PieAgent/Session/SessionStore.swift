import PieSystem

/// Sessions listed, with anything that went wrong while listing them.
public struct SessionListing: Sendable {
    public var sessions: [SessionSummary]
    public var diagnostics: [SessionDiagnostic]
}

/// The session store under a pie directory: creates, opens, appends, lists, finds, forks and deletes
/// sessions, and keeps the SQLite index in step.
///
/// The JSONL files are the source of truth. Index trouble (a locked or corrupt `index.sqlite`) never
/// fails a session operation: it is returned as an `.indexFailure` diagnostic, and listing falls
/// back to reading the files.
public struct SessionStore: Sendable {
    public let directory: PieDirectory
    /// nil when the index could not be opened; see `indexDiagnostics`.
    public let index: SessionIndex?
    public let indexDiagnostics: [SessionDiagnostic]
    public var lockOptions: SessionLockOptions
    public var syncOnAppend: Bool

    public init(
        directory: PieDirectory, lockOptions: SessionLockOptions = .init(), syncOnAppend: Bool = true,
        useIndex: Bool = true
    ) {
        self.directory = directory
        self.lockOptions = lockOptions
        self.syncOnAppend = syncOnAppend
        guard useIndex else {
            index = nil
            indexDiagnostics = []
            return
        }
        do {
            index = try SessionIndex(path: directory.indexPath)
            indexDiagnostics = []
        } catch {
            index = nil
            indexDiagnostics = [.init(kind: .indexFailure, path: directory.indexPath, detail: error.description)]
        }
    }

    private func sessionFile(_ path: String) -> SessionFile {
        SessionFile(path: path, lockOptions: lockOptions, syncOnAppend: syncOnAppend)
    }

    // MARK: Creating and opening

    /// Starts a session for `cwd` at `sessions/<cwd-hash>/<uuidv7>.jsonl` (or at `path`, for
    /// `--session PATH`, or in `folder` as `<uuidv7>.jsonl`); the header is written now. A
    /// sub-agent's session names the parent session and its `task` call (`parentToolCall`).
    public func create(
        cwd: String, parentSession: String? = nil, parentToolCall: String? = nil, at path: String? = nil,
        in folder: String? = nil, milliseconds: Int64 = Timestamp.nowMilliseconds()
    ) throws(SessionError) -> (session: Session, diagnostics: [SessionDiagnostic]) {
        let id = UUIDv7.generate(milliseconds: milliseconds)
        let header = SessionHeader(
            id: id, timestamp: Timestamp.iso(milliseconds: milliseconds), cwd: cwd, parentSession: parentSession,
            parentToolCall: parentToolCall)
        var target = path ?? ""
        if path == nil {
            var parent = folder ?? ""
            if folder == nil { parent = try directory.sessionsDirectory(cwd: cwd) }
            target = parent + "/" + id + ".jsonl"
        }
        let file = try SessionFile.create(
            at: target, header: header, lockOptions: lockOptions, syncOnAppend: syncOnAppend)
        let session = Session(file: file, header: header, tree: SessionTree())
        return (session, indexWhole(session))
    }

    /// Loads the session file at `path`; damage is in `loadDiagnostics`.
    public func open(path: String) throws(SessionError) -> Session {
        try Session.load(sessionFile(path))
    }

    /// Loads the session whose id starts with `idPrefix` (see `find`).
    public func open(idPrefix: String) throws(SessionError) -> Session {
        try open(path: find(idPrefix: idPrefix).path)
    }

    // MARK: Writing

    /// Appends to `session` and indexes just the new entries.
    @discardableResult
    public func append(_ contents: [SessionEntryContent], to session: inout Session) throws(SessionError)
        -> (entries: [SessionEntry], diagnostics: [SessionDiagnostic])
    {
        let written = try session.append(contents)
        return (written.entries, written.diagnostics + indexAppend(session, entries: written.entries))
    }

    /// Moves the leaf back before the last user prompt (see `Session.undo`).
    @discardableResult
    public func undo(_ session: inout Session) throws(SessionError) -> (undone: Bool, diagnostics: [SessionDiagnostic]) {
        guard let target = session.tree.undoTarget() else { return (false, []) }
        return (true, try append([.leaf(targetId: target.entryId)], to: &session).diagnostics)
    }

    /// Makes `entryId` the active leaf (nil: before the first entry), as `/tree` navigation does.
    @discardableResult
    public func moveLeaf(_ session: inout Session, to entryId: String?) throws(SessionError) -> [SessionDiagnostic] {
        if let entryId, !session.tree.contains(id: entryId) { throw .entryNotFound(id: entryId, path: session.path) }
        return try append([.leaf(targetId: entryId)], to: &session).diagnostics
    }

    /// Names the session (`session_info`); nil clears the name.
    @discardableResult
    public func rename(_ session: inout Session, to name: String?) throws(SessionError) -> [SessionDiagnostic] {
        try append([.sessionInfo(name: name)], to: &session).diagnostics
    }

    /// Labels an entry (`label`); nil removes its label.
    @discardableResult
    public func setLabel(_ label: String?, on entryId: String, in session: inout Session) throws(SessionError)
        -> [SessionDiagnostic]
    {
        guard session.tree.contains(id: entryId) else { throw .entryNotFound(id: entryId, path: session.path) }
        return try append([.label(targetId: entryId, label: label)], to: &session).diagnostics
    }

    /// Copies the path from the root to `entryId` (nil: an empty session) into a new session whose
    /// header names the source in `parentSession`, as pi's `/fork` does. Entries keep their ids and
    /// exact bytes; labels set elsewhere on the copied entries are re-created.
    public func fork(_ source: Session, at entryId: String?, cwd: String? = nil) throws(SessionError)
        -> (session: Session, diagnostics: [SessionDiagnostic])
    {
        if let entryId, !source.tree.contains(id: entryId) { throw .entryNotFound(id: entryId, path: source.path) }
        let path = source.tree.path(to: entryId, filePath: source.path)
        let milliseconds = Timestamp.nowMilliseconds()
        let id = UUIDv7.generate(milliseconds: milliseconds)
        let header = SessionHeader(
            id: id, timestamp: Timestamp.iso(milliseconds: milliseconds), cwd: cwd ?? source.header.cwd,
            parentSession: source.path)
        var tree = SessionTree(entries: path.entries)
        var copied = path.entries
        var generator = SystemRandomNumberGenerator()
        for entry in path.entries {
            let label = source.tree.labels[entry.id]
            guard label != tree.labels[entry.id] else { continue }
            let relabel = SessionEntry(
                id: tree.newEntryId(using: &generator), parentId: tree.leafId,
                timestamp: Timestamp.iso(milliseconds: milliseconds), content: .label(targetId: entry.id, label: label))
            tree.append(relabel)
            copied.append(relabel)
        }
        let file = try SessionFile.create(
            at: try directory.sessionsDirectory(cwd: header.cwd) + "/" + id + ".jsonl", header: header, entries: copied,
            lockOptions: lockOptions, syncOnAppend: syncOnAppend)
        let session = Session(file: file, header: header, tree: tree)
        return (session, path.diagnostics + indexWhole(session))
    }

    /// Deletes the session file and its index row.
    @discardableResult
    public func delete(_ summary: SessionSummary) throws(SessionError) -> [SessionDiagnostic] {
        try SessionError.io(FileIO.remove(summary.path))
        do {
            try index?.remove(id: summary.id, path: summary.path)
            return []
        } catch {
            return [.init(kind: .indexFailure, path: summary.path, detail: error.description)]
        }
    }

    // MARK: Listing and finding

    /// Sessions started in `cwd`, newest first.
    public func list(cwd: String) -> SessionListing {
        listing(cwd: cwd)
    }

    /// Every session of every project, newest first.
    public func listAll() -> SessionListing {
        listing(cwd: nil)
    }

    /// The newest session of `cwd` (for `--continue`), or nil when there is none.
    public func mostRecent(cwd: String) -> SessionSummary? {
        list(cwd: cwd).sessions.first
    }

    /// The one session whose id starts with `idPrefix`, across all projects.
    public func find(idPrefix: String) throws(SessionError) -> SessionSummary {
        let prefix = idPrefix.lowercased()
        let matches = listAll().sessions.filter { $0.id.lowercased().hasPrefix(prefix) }
        guard !prefix.isEmpty, let first = matches.first else { throw .sessionNotFound(idPrefix: idPrefix) }
        guard matches.count == 1 else {
            throw .ambiguousPrefix(idPrefix: idPrefix, candidates: matches.map(\.id).sorted())
        }
        return first
    }

    /// Full-text search across all projects (needs the index).
    public func search(_ text: String, limit: Int = 20) -> (hits: [SessionSearchHit], diagnostics: [SessionDiagnostic]) {
        guard let index else { return ([], indexDiagnostics) }
        do {
            let refresh = try index.refresh(sessionsRoot: directory.sessionsRoot)
            return (try index.search(text, limit: limit), refresh.diagnostics)
        } catch {
            return ([], [.init(kind: .indexFailure, path: index.path, detail: error.description)])
        }
    }

    /// Rebuilds the whole index from the JSONL files.
    public func reindex() -> SessionIndexRefresh {
        guard let index else { return SessionIndexRefresh(diagnostics: indexDiagnostics) }
        do {
            return try index.rebuild(sessionsRoot: directory.sessionsRoot)
        } catch {
            return SessionIndexRefresh(diagnostics: [.init(kind: .indexFailure, path: index.path, detail: error.description)])
        }
    }

    /// Index first (after refreshing it from changed files); if the index is unusable, read every file.
    private func listing(cwd: String?) -> SessionListing {
        if let index {
            do {
                let refresh = try index.refresh(sessionsRoot: directory.sessionsRoot)
                return SessionListing(sessions: try index.sessions(cwd: cwd), diagnostics: refresh.diagnostics)
            } catch {
                var fallback = scan(cwd: cwd)
                fallback.diagnostics.insert(.init(kind: .indexFailure, path: index.path, detail: error.description), at: 0)
                return fallback
            }
        }
        var fallback = scan(cwd: cwd)
        fallback.diagnostics.insert(contentsOf: indexDiagnostics, at: 0)
        return fallback
    }

    private func scan(cwd: String?) -> SessionListing {
        var listing = SessionListing(sessions: [], diagnostics: [])
        var root = (FileIO.list(directory.sessionsRoot) ?? []).map { directory.sessionsRoot + "/" + $0 }
        if let cwd {
            // Without the digest every project directory is read instead; the cwd filter below
            // then gives the same listing, only slower.
            do { root = [try directory.sessionsDirectory(cwd: cwd)] } catch {}
        }
        for project in root {
            for name in FileIO.list(project) ?? [] where name.hasSuffix(".jsonl") {
                let path = project + "/" + name
                do {
                    let load = try sessionFile(path).load()
                    let summary = SessionSummary(
                        path: path, header: load.header, entries: load.entries,
                        fallbackMilliseconds: FileIO.stamp(path)?.mtimeMilliseconds ?? 0)
                    if cwd == nil || summary.cwd == cwd { listing.sessions.append(summary) }
                } catch {
                    listing.diagnostics.append(.init(kind: .unreadableFile, path: path, detail: "not listed: \(error)"))
                }
            }
        }
        listing.sessions.sort { ($0.updated, $0.id) > ($1.updated, $1.id) }
        return listing
    }

    // MARK: Index upkeep

    private func indexWhole(_ session: Session) -> [SessionDiagnostic] {
        guard let index, let stamp = FileIO.stamp(session.path) else { return [] }
        let summary = SessionSummary(
            path: session.path, header: session.header, entries: session.entries,
            fallbackMilliseconds: stamp.mtimeMilliseconds)
        do {
            try index.index(summary, entries: session.entries, fileSize: stamp.size, fileMtime: stamp.mtimeMilliseconds)
            return []
        } catch {
            return [.init(kind: .indexFailure, path: session.path, detail: error.description)]
        }
    }

    /// Indexes only `entries` when the index row matches the file as it was before they were
    /// written; otherwise re-reads the whole file.
    private func indexAppend(_ session: Session, entries: [SessionEntry]) -> [SessionDiagnostic] {
        guard let index, let stamp = FileIO.stamp(session.path) else { return [] }
        let appended = entries.reduce(0) { $0 + $1.line.utf8.count + 1 }
        do {
            let updated = try index.recordAppend(
                sessionId: session.id, entries: entries, previousSize: stamp.size - appended, fileSize: stamp.size,
                fileMtime: stamp.mtimeMilliseconds)
            return updated ? [] : try indexFile(session.path, index: index)
        } catch {
            return [.init(kind: .indexFailure, path: session.path, detail: error.description)]
        }
    }

    /// Re-reads one session file from disk and replaces its index rows.
    private func indexFile(_ path: String, index: SessionIndex) throws(SessionIndexError) -> [SessionDiagnostic] {
        guard let stamp = FileIO.stamp(path) else { return [] }
        let load: SessionLoad
        do {
            load = try sessionFile(path).load()
        } catch {
            return [.init(kind: .unreadableFile, path: path, detail: "not indexed: \(error)")]
        }
        let summary = SessionSummary(
            path: path, header: load.header, entries: load.entries, fallbackMilliseconds: stamp.mtimeMilliseconds)
        try index.index(summary, entries: load.entries, fileSize: stamp.size, fileMtime: stamp.mtimeMilliseconds)
        return []
    }
}

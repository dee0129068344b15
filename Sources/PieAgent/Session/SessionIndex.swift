import CSQLite
import PieSystem

/// Why the session index could not be used. The JSONL files are never affected: callers report
/// this as a diagnostic and carry on (or rebuild the index).
public struct SessionIndexError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var operation: String
    public var message: String

    public var description: String {
        "session index \(path): could not \(operation): \(message) "
            + "(session files are unaffected; `pie sessions reindex` rebuilds the index)"
    }
}

/// One full-text match: the best-ranked hit per session.
public struct SessionSearchHit: Sendable, Equatable {
    public var sessionId: String
    public var path: String
    public var cwd: String
    public var name: String?
    /// The matching text with hits in `[` `]` and elisions as `…`.
    public var snippet: String
    /// SQLite FTS5 bm25 score: lower is better.
    public var rank: Double
}

/// What `refresh` did.
public struct SessionIndexRefresh: Sendable, Equatable {
    public var scanned = 0
    public var reindexed = 0
    public var removed = 0
    /// Files that could not be indexed (unreadable, no header).
    public var diagnostics: [SessionDiagnostic] = []
}

/// The SQLite index over every session file (`~/.pie/index.sqlite`, WAL mode): a `sessions` table
/// for fast listing and an FTS5 `session_text` table for `pie sessions search`.
///
/// A cache, not a source of truth: every row can be rebuilt from the JSONL files, and each row
/// remembers the file size and mtime it was built from so `refresh` re-reads only changed files.
/// Copies share one connection (`SQLiteDatabase`), so the index can be used from any thread.
public struct SessionIndex: Sendable {
    public let path: String
    private let database: SQLiteDatabase

    /// Longest text indexed per entry; big tool outputs are cut so the index stays small.
    public static let maxIndexedCharacters = 32_768

    /// How long a statement waits for another process's lock on the file before it fails.
    static let busyTimeoutMilliseconds: Int32 = 5_000

    /// Opens (creating if needed) the index at `path` and migrates its schema.
    public init(path: String) throws(SessionIndexError) {
        self.path = path
        do {
            try FileIO.makeDirectories(Path.parent(of: path))
        } catch {
            throw SessionIndexError(path: path, operation: "open", message: "\(error)")
        }
        do {
            database = try SQLiteDatabase(
                path: path, flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX)
            try database.withConnection { db throws(SQLiteError) in
                db.setBusyTimeout(milliseconds: Self.busyTimeoutMilliseconds)
                try Self.enableWAL(db)
                try SessionIndexSchema.migrate(db)
            }
        } catch {
            throw SessionIndexError(path: path, operation: "open", message: error.description)
        }
    }

    /// Write-ahead logging lets readers in other pie processes go on while one process writes.
    /// SQLite answers with the mode in force rather than an error when it cannot switch.
    private static func enableWAL(_ db: SQLiteConnection) throws(SQLiteError) {
        let statement = try db.prepare("PRAGMA journal_mode = WAL")
        let mode = try statement.step() ? statement.text(0) ?? "" : ""
        guard mode.lowercased() == "wal" else {
            throw SQLiteError(code: SQLITE_ERROR, message: "could not switch to WAL journal mode (still \"\(mode)\")")
        }
    }

    private func run<T: Sendable>(
        _ operation: String, _ body: (SQLiteConnection) throws(SQLiteError) -> T
    ) throws(SessionIndexError) -> T {
        do {
            return try database.withConnection(body)
        } catch {
            throw SessionIndexError(path: path, operation: operation, message: error.description)
        }
    }

    // MARK: Writing

    /// Replaces everything indexed for one session file.
    public func index(
        _ summary: SessionSummary, entries: [SessionEntry], fileSize: Int, fileMtime: Int64
    ) throws(SessionIndexError) {
        try run("index \(summary.path)") { db throws(SQLiteError) in
            try db.transaction { () throws(SQLiteError) in
                try Self.delete(db, id: summary.id, path: summary.path)
                try db.execute(
                    """
                    INSERT INTO sessions (id, path, cwd, name, parent_session, created, updated, entries, preview,
                        file_size, file_mtime) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                    [
                        summary.id, summary.path, summary.cwd, summary.name, summary.parentSession, summary.created,
                        summary.updated, summary.entryCount, summary.preview, fileSize, fileMtime,
                    ])
                try Self.insertText(db, sessionId: summary.id, entries: entries)
            }
        }
    }

    /// Adds freshly appended entries to an indexed session: only the new entries are read.
    ///
    /// `previousSize` is the file size before this append. Returns false, changing nothing, when
    /// the session has no row or its row was built from a different size (another program wrote
    /// the file without updating the index); the caller then re-indexes the whole file.
    public func recordAppend(
        sessionId: String, entries: [SessionEntry], previousSize: Int, fileSize: Int, fileMtime: Int64
    ) throws(SessionIndexError) -> Bool {
        let name = entries.last(where: { $0.type == .sessionInfo }).map { $0.sessionName }
        let preview = SessionSummary.preview(of: entries)
        let updated = entries.last.flatMap { Timestamp.parseISO($0.timestamp) } ?? fileMtime
        return try run("update \(sessionId)") { db throws(SQLiteError) in
            try db.transaction { () throws(SQLiteError) in
                try db.execute(
                    """
                    UPDATE sessions SET entries = entries + ?, updated = max(updated, ?),
                        name = CASE WHEN ? THEN ? ELSE name END,
                        preview = CASE WHEN preview = '' THEN ? ELSE preview END,
                        file_size = ?, file_mtime = ?
                    WHERE id = ? AND file_size = ?
                    """,
                    [
                        entries.count, updated, name != nil, name ?? nil, preview, fileSize, fileMtime, sessionId,
                        previousSize,
                    ])
                guard db.changes > 0 else { return false }
                try Self.insertText(db, sessionId: sessionId, entries: entries)
                return true
            }
        }
    }

    /// Forgets a session (by id, and any row for the same path).
    public func remove(id: String, path: String) throws(SessionIndexError) {
        try run("remove \(id)") { db throws(SQLiteError) in
            try db.transaction { () throws(SQLiteError) in try Self.delete(db, id: id, path: path) }
        }
    }

    private static func delete(_ db: SQLiteConnection, id: String, path: String) throws(SQLiteError) {
        let select = try db.prepare("SELECT id FROM sessions WHERE id = ? OR path = ?")
        try select.bind([id, path])
        var ids: Set<String> = [id]
        while try select.step() {
            if let stale = select.text(0) { ids.insert(stale) }
        }
        for stale in ids {
            try db.execute("DELETE FROM session_text WHERE session_id = ?", [stale])
            try db.execute("DELETE FROM sessions WHERE id = ?", [stale])
        }
    }

    private static func insertText(_ db: SQLiteConnection, sessionId: String, entries: [SessionEntry]) throws(SQLiteError) {
        let statement = try db.prepare("INSERT INTO session_text (session_id, entry_id, role, text) VALUES (?, ?, ?, ?)")
        for entry in entries {
            guard var text = entry.text, !text.isEmpty else { continue }
            if text.utf8.count > maxIndexedCharacters { text = String(text.prefix(maxIndexedCharacters)) }
            try statement.bind([sessionId, entry.id, entry.role ?? entry.type.rawValue, text])
            while try statement.step() {}
        }
    }

    // MARK: Reading

    /// The `sessions` columns `summary(_:)` reads, in its order.
    private static let summaryColumns = "id, path, cwd, name, parent_session, created, updated, entries, preview"

    /// Indexed sessions, newest first; only those started in `cwd` when given.
    public func sessions(cwd: String? = nil) throws(SessionIndexError) -> [SessionSummary] {
        try run("list sessions") { db throws(SQLiteError) in
            let statement: SQLiteStatement
            if let cwd {
                statement = try db.prepare(
                    "SELECT \(Self.summaryColumns) FROM sessions WHERE cwd = ? ORDER BY updated DESC, id DESC")
                try statement.bind([cwd])
            } else {
                statement = try db.prepare("SELECT \(Self.summaryColumns) FROM sessions ORDER BY updated DESC, id DESC")
            }
            return try Self.summaries(statement)
        }
    }

    /// Sessions whose id starts with `prefix`.
    public func sessions(idPrefix prefix: String) throws(SessionIndexError) -> [SessionSummary] {
        let escaped = prefix.replacing("\\", with: "\\\\").replacing("%", with: "\\%").replacing("_", with: "\\_")
        return try run("find sessions") { db throws(SQLiteError) in
            let statement = try db.prepare(
                "SELECT \(Self.summaryColumns) FROM sessions WHERE id LIKE ? ESCAPE '\\' ORDER BY updated DESC")
            try statement.bind([escaped + "%"])
            return try Self.summaries(statement)
        }
    }

    private static func summaries(_ statement: SQLiteStatement) throws(SQLiteError) -> [SessionSummary] {
        var summaries: [SessionSummary] = []
        while try statement.step() {
            summaries.append(
                SessionSummary(
                    id: statement.text(0) ?? "", path: statement.text(1) ?? "", cwd: statement.text(2) ?? "",
                    name: statement.text(3), parentSession: statement.text(4), created: statement.int64(5),
                    updated: statement.int64(6), entryCount: statement.int(7), preview: statement.text(8) ?? ""))
        }
        return summaries
    }

    /// Full-text search over every indexed session, best match first, one hit per session.
    ///
    /// Each word of `text` must occur (FTS5 implicit AND); words are quoted, so FTS5 operators
    /// typed by the user are searched for literally instead of failing as syntax errors.
    public func search(_ text: String, limit: Int = 20) throws(SessionIndexError) -> [SessionSearchHit] {
        let words = text.split(whereSeparator: { $0.isWhitespace })
        guard !words.isEmpty else { return [] }
        let query = words.map { "\"" + $0.replacing("\"", with: "\"\"") + "\"" }.joined(separator: " ")
        return try run("search") { db throws(SQLiteError) in
            // FTS5 auxiliary functions (bm25, snippet) only work on a direct scan of the FTS table,
            // not inside an aggregate, so one hit per session is picked while stepping the cursor.
            let statement = try db.prepare(
                """
                SELECT s.id, s.path, s.cwd, s.name,
                    snippet(session_text, 3, '[', ']', '…', 16), bm25(session_text) AS score
                FROM session_text JOIN sessions s ON s.id = session_text.session_id
                WHERE session_text MATCH ? ORDER BY score
                """)
            try statement.bind([query])
            var hits: [SessionSearchHit] = []
            var seen = Set<String>()
            while hits.count < max(limit, 1), try statement.step() {
                let id = statement.text(0) ?? ""
                guard seen.insert(id).inserted else { continue }
                hits.append(
                    SessionSearchHit(
                        sessionId: id, path: statement.text(1) ?? "", cwd: statement.text(2) ?? "",
                        name: statement.text(3), snippet: statement.text(4) ?? "", rank: statement.double(5)))
            }
            return hits
        }
    }

    /// The size and mtime each indexed file had when it was indexed, by path.
    func stamps() throws(SessionIndexError) -> [String: (size: Int, mtime: Int64)] {
        try run("read file stamps") { db throws(SQLiteError) in
            let statement = try db.prepare("SELECT path, file_size, file_mtime FROM sessions")
            var stamps: [String: (size: Int, mtime: Int64)] = [:]
            while try statement.step() {
                stamps[statement.text(0) ?? ""] = (statement.int(1), statement.int64(2))
            }
            return stamps
        }
    }

    // MARK: Rebuilding

    /// Brings the index in line with the files under `sessionsRoot`: files whose size or mtime
    /// changed (or that are new) are re-read, rows for vanished files are dropped.
    public func refresh(sessionsRoot: String) throws(SessionIndexError) -> SessionIndexRefresh {
        var report = SessionIndexRefresh()
        let known = try stamps()
        var present = Set<String>()
        for path in Self.sessionFiles(under: sessionsRoot) {
            report.scanned += 1
            present.insert(path)
            guard let stamp = FileIO.stamp(path) else { continue }
            if let old = known[path], old.size == stamp.size, old.mtime == stamp.mtimeMilliseconds { continue }
            do {
                let load = try SessionFile(path: path).load()
                let summary = SessionSummary(
                    path: path, header: load.header, entries: load.entries, fallbackMilliseconds: stamp.mtimeMilliseconds)
                try index(summary, entries: load.entries, fileSize: stamp.size, fileMtime: stamp.mtimeMilliseconds)
                report.reindexed += 1
            } catch {
                report.diagnostics.append(.init(kind: .unreadableFile, path: path, detail: "not indexed: \(error)"))
            }
        }
        for (path, _) in known where !present.contains(path) {
            try run("drop \(path)") { db throws(SQLiteError) in
                try db.transaction { () throws(SQLiteError) in
                    let select = try db.prepare("SELECT id FROM sessions WHERE path = ?")
                    try select.bind([path])
                    var ids: [String] = []
                    while try select.step() { ids.append(select.text(0) ?? "") }
                    for id in ids { try Self.delete(db, id: id, path: path) }
                }
            }
            report.removed += 1
        }
        return report
    }

    /// Drops every row and re-reads every file.
    public func rebuild(sessionsRoot: String) throws(SessionIndexError) -> SessionIndexRefresh {
        try run("clear") { db throws(SQLiteError) in
            try db.transaction { () throws(SQLiteError) in
                try db.execute("DELETE FROM session_text")
                try db.execute("DELETE FROM sessions")
            }
        }
        return try refresh(sessionsRoot: sessionsRoot)
    }

    /// Every `*.jsonl` one directory below `sessionsRoot` (`<cwd-hash>/<uuidv7>.jsonl`).
    static func sessionFiles(under sessionsRoot: String) -> [String] {
        var files: [String] = []
        for project in FileIO.list(sessionsRoot) ?? [] {
            let directory = sessionsRoot + "/" + project
            for name in FileIO.list(directory) ?? [] where name.hasSuffix(".jsonl") {
                files.append(directory + "/" + name)
            }
        }
        return files.sorted()
    }
}

import GRDB

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
public struct SessionIndex: Sendable {
    public let path: String
    private let database: DatabasePool

    /// Longest text indexed per entry; big tool outputs are cut so the index stays small.
    public static let maxIndexedCharacters = 32_768

    /// Opens (creating if needed) the index at `path` and migrates its schema.
    public init(path: String) throws(SessionIndexError) {
        self.path = path
        do {
            try FileIO.makeDirectories(Path.parent(of: path))
            var configuration = Configuration()
            configuration.busyMode = .timeout(5)
            database = try DatabasePool(path: path, configuration: configuration)
            try Self.migrator.migrate(database)
        } catch {
            throw SessionIndexError(path: path, operation: "open", message: "\(error)")
        }
    }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "sessions") { t in
                t.primaryKey("id", .text)
                t.column("path", .text).notNull().unique()
                t.column("cwd", .text).notNull().indexed()
                t.column("name", .text)
                t.column("parent_session", .text)
                t.column("created", .integer).notNull()
                t.column("updated", .integer).notNull().indexed()
                t.column("entries", .integer).notNull()
                t.column("preview", .text).notNull()
                t.column("file_size", .integer).notNull()
                t.column("file_mtime", .integer).notNull()
            }
            try db.create(virtualTable: "session_text", using: FTS5()) { t in
                t.tokenizer = .unicode61()
                t.column("session_id").notIndexed()
                t.column("entry_id").notIndexed()
                t.column("role").notIndexed()
                t.column("text")
            }
        }
        return migrator
    }

    private func run<T>(_ operation: String, _ body: () throws -> T) throws(SessionIndexError) -> T {
        do {
            return try body()
        } catch {
            throw SessionIndexError(path: path, operation: operation, message: "\(error)")
        }
    }

    // MARK: Writing

    /// Replaces everything indexed for one session file.
    public func index(
        _ summary: SessionSummary, entries: [SessionEntry], fileSize: Int, fileMtime: Int64
    ) throws(SessionIndexError) {
        try run("index \(summary.path)") {
            try database.write { db in
                try Self.delete(db, id: summary.id, path: summary.path)
                try db.execute(
                    sql: """
                        INSERT INTO sessions (id, path, cwd, name, parent_session, created, updated, entries, preview,
                            file_size, file_mtime) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
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
        return try run("update \(sessionId)") {
            try database.write { db in
                try db.execute(
                    sql: """
                        UPDATE sessions SET entries = entries + ?, updated = max(updated, ?),
                            name = CASE WHEN ? THEN ? ELSE name END,
                            preview = CASE WHEN preview = '' THEN ? ELSE preview END,
                            file_size = ?, file_mtime = ?
                        WHERE id = ? AND file_size = ?
                        """,
                    arguments: [
                        entries.count, updated, name != nil, name ?? nil, preview, fileSize, fileMtime, sessionId,
                        previousSize,
                    ])
                guard db.changesCount > 0 else { return false }
                try Self.insertText(db, sessionId: sessionId, entries: entries)
                return true
            }
        }
    }

    /// Forgets a session (by id, and any row for the same path).
    public func remove(id: String, path: String) throws(SessionIndexError) {
        try run("remove \(id)") { try database.write { db in try Self.delete(db, id: id, path: path) } }
    }

    private static func delete(_ db: Database, id: String, path: String) throws {
        let ids = try String.fetchAll(db, sql: "SELECT id FROM sessions WHERE id = ? OR path = ?", arguments: [id, path])
        for stale in Set(ids + [id]) {
            try db.execute(sql: "DELETE FROM session_text WHERE session_id = ?", arguments: [stale])
            try db.execute(sql: "DELETE FROM sessions WHERE id = ?", arguments: [stale])
        }
    }

    private static func insertText(_ db: Database, sessionId: String, entries: [SessionEntry]) throws {
        let statement = try db.makeStatement(
            sql: "INSERT INTO session_text (session_id, entry_id, role, text) VALUES (?, ?, ?, ?)")
        for entry in entries {
            guard var text = entry.text, !text.isEmpty else { continue }
            if text.utf8.count > maxIndexedCharacters { text = String(text.prefix(maxIndexedCharacters)) }
            try statement.execute(arguments: [sessionId, entry.id, entry.role ?? entry.type.rawValue, text])
        }
    }

    // MARK: Reading

    /// Indexed sessions, newest first; only those started in `cwd` when given.
    public func sessions(cwd: String? = nil) throws(SessionIndexError) -> [SessionSummary] {
        try run("list sessions") {
            try database.read { db in
                let rows =
                    if let cwd {
                        try Row.fetchAll(
                            db, sql: "SELECT * FROM sessions WHERE cwd = ? ORDER BY updated DESC, id DESC", arguments: [cwd])
                    } else {
                        try Row.fetchAll(db, sql: "SELECT * FROM sessions ORDER BY updated DESC, id DESC")
                    }
                return rows.map(Self.summary)
            }
        }
    }

    /// Sessions whose id starts with `prefix`.
    public func sessions(idPrefix prefix: String) throws(SessionIndexError) -> [SessionSummary] {
        let escaped = prefix.replacing("\\", with: "\\\\").replacing("%", with: "\\%").replacing("_", with: "\\_")
        return try run("find sessions") {
            try database.read { db in
                try Row.fetchAll(
                    db, sql: "SELECT * FROM sessions WHERE id LIKE ? ESCAPE '\\' ORDER BY updated DESC",
                    arguments: [escaped + "%"]
                ).map(Self.summary)
            }
        }
    }

    private static func summary(_ row: Row) -> SessionSummary {
        SessionSummary(
            id: row["id"], path: row["path"], cwd: row["cwd"], name: row["name"], parentSession: row["parent_session"],
            created: row["created"], updated: row["updated"], entryCount: row["entries"], preview: row["preview"])
    }

    /// Full-text search over every indexed session, best match first, one hit per session.
    ///
    /// Each word of `text` must occur (FTS5 implicit AND); words are quoted, so FTS5 operators
    /// typed by the user are searched for literally instead of failing as syntax errors.
    public func search(_ text: String, limit: Int = 20) throws(SessionIndexError) -> [SessionSearchHit] {
        let words = text.split(whereSeparator: { $0.isWhitespace })
        guard !words.isEmpty else { return [] }
        let query = words.map { "\"" + $0.replacing("\"", with: "\"\"") + "\"" }.joined(separator: " ")
        return try run("search") {
            try database.read { db in
                // FTS5 auxiliary functions (bm25, snippet) only work on a direct scan of the FTS table,
                // not inside an aggregate, so one hit per session is picked while stepping the cursor.
                let cursor = try Row.fetchCursor(
                    db,
                    sql: """
                        SELECT s.id, s.path, s.cwd, s.name,
                            snippet(session_text, 3, '[', ']', '…', 16) AS snippet, bm25(session_text) AS score
                        FROM session_text JOIN sessions s ON s.id = session_text.session_id
                        WHERE session_text MATCH ? ORDER BY score
                        """,
                    arguments: [query])
                var hits: [SessionSearchHit] = []
                var seen = Set<String>()
                while hits.count < max(limit, 1), let row = try cursor.next() {
                    let id: String = row["id"]
                    guard seen.insert(id).inserted else { continue }
                    hits.append(
                        SessionSearchHit(
                            sessionId: id, path: row["path"], cwd: row["cwd"], name: row["name"], snippet: row["snippet"],
                            rank: row["score"]))
                }
                return hits
            }
        }
    }

    /// The size and mtime each indexed file had when it was indexed, by path.
    func stamps() throws(SessionIndexError) -> [String: (size: Int, mtime: Int64)] {
        try run("read file stamps") {
            try database.read { db in
                var stamps: [String: (size: Int, mtime: Int64)] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT path, file_size, file_mtime FROM sessions") {
                    stamps[row["path"]] = (row["file_size"], row["file_mtime"])
                }
                return stamps
            }
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
            try run("drop \(path)") {
                try database.write { db in
                    let ids = try String.fetchAll(db, sql: "SELECT id FROM sessions WHERE path = ?", arguments: [path])
                    for id in ids { try Self.delete(db, id: id, path: path) }
                }
            }
            report.removed += 1
        }
        return report
    }

    /// Drops every row and re-reads every file.
    public func rebuild(sessionsRoot: String) throws(SessionIndexError) -> SessionIndexRefresh {
        try run("clear") {
            try database.write { db in
                try db.execute(sql: "DELETE FROM session_text")
                try db.execute(sql: "DELETE FROM sessions")
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

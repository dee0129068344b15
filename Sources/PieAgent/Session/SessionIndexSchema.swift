import PieSystem

/// The index's tables, and how an existing `index.sqlite` is brought to them.
///
/// The schema version is kept in the file header (`PRAGMA user_version`). A file at this version is
/// used as it is. One written by the GRDB-based pie (version 0 with a `grdb_migrations` table
/// recording only "v1") has exactly these tables and is adopted in place. Anything else (a newer
/// pie's schema, a half-built file) is dropped and created anew: the index is a cache, and the
/// next `refresh` re-reads every session file into it.
enum SessionIndexSchema {
    static let version: Int64 = 1

    private static let create = """
        CREATE TABLE sessions (
            id TEXT PRIMARY KEY NOT NULL, path TEXT NOT NULL UNIQUE, cwd TEXT NOT NULL, name TEXT,
            parent_session TEXT, created INTEGER NOT NULL, updated INTEGER NOT NULL, entries INTEGER NOT NULL,
            preview TEXT NOT NULL, file_size INTEGER NOT NULL, file_mtime INTEGER NOT NULL);
        CREATE INDEX sessions_on_cwd ON sessions(cwd);
        CREATE INDEX sessions_on_updated ON sessions(updated);
        CREATE VIRTUAL TABLE session_text USING fts5(
            session_id UNINDEXED, entry_id UNINDEXED, role UNINDEXED, text, tokenize = 'unicode61');
        """

    /// Every table this or an earlier schema made; FTS5 drops its shadow tables with `session_text`.
    private static let drop = """
        DROP TABLE IF EXISTS session_text;
        DROP TABLE IF EXISTS sessions;
        DROP TABLE IF EXISTS grdb_migrations;
        """

    /// Brings the open database to `version`. Cheap when it is already there: one header read, no lock.
    static func migrate(_ db: SQLiteConnection) throws(SQLiteError) {
        guard try db.userVersion() != version else { return }
        try db.transaction { () throws(SQLiteError) in
            // Another process may have migrated between the read above and taking the write lock.
            let found = try db.userVersion()
            guard found != version else { return }
            if found == 0, try isGRDBVersion1(db) {
                try db.execute("DROP TABLE grdb_migrations")
            } else {
                try db.execute(drop)
                try db.execute(create)
            }
            try db.setUserVersion(version)
        }
    }

    /// Whether GRDB's migrator made this file and applied only its "v1" migration, which created
    /// the same tables as `create`.
    private static func isGRDBVersion1(_ db: SQLiteConnection) throws(SQLiteError) -> Bool {
        let table = try db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'grdb_migrations'")
        guard try table.step() else { return false }
        let applied = try db.prepare("SELECT identifier FROM grdb_migrations")
        var identifiers: [String] = []
        while try applied.step() { identifiers.append(applied.text(0) ?? "") }
        return identifiers == ["v1"]
    }
}

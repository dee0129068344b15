import PieSystem

/// The store's tables and the ordered steps that build them. The version lives in the file
/// header (`PRAGMA user_version`): step `n` takes a store from version `n` to `n + 1`, so a store of
/// any older version is brought forward in order, in one transaction. A store of a newer version
/// is refused: its rows may mean things this pie does not know.
enum StoreSchema {
    static let migrations: [String] = [
        // 0 → 1
        """
        CREATE TABLE automations (
            file TEXT PRIMARY KEY NOT NULL, id TEXT NOT NULL, scope TEXT NOT NULL, file_hash TEXT NOT NULL,
            enabled INTEGER NOT NULL, anchor INTEGER NOT NULL, last_tick INTEGER, next_due INTEGER,
            session_id TEXT, updated_at INTEGER NOT NULL);
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT, automation_file TEXT NOT NULL, automation_id TEXT NOT NULL,
            trigger_kind TEXT NOT NULL, tick INTEGER, scheduled_at INTEGER NOT NULL, not_before INTEGER NOT NULL,
            state TEXT NOT NULL, attempt INTEGER NOT NULL, max_attempts INTEGER NOT NULL,
            backoff_seconds INTEGER NOT NULL, retry_of INTEGER, cancel_reason TEXT, started_at INTEGER,
            ended_at INTEGER, tokens INTEGER NOT NULL DEFAULT 0, cost REAL NOT NULL DEFAULT 0, final_message TEXT,
            session_id TEXT, session_path TEXT, reason TEXT, payload TEXT, created_at INTEGER NOT NULL,
            UNIQUE (automation_file, tick, attempt));
        CREATE INDEX runs_by_state ON runs(state, not_before);
        CREATE INDEX runs_by_automation ON runs(automation_id, id);
        CREATE TABLE leases (resource TEXT PRIMARY KEY NOT NULL, owner TEXT NOT NULL, expires_at INTEGER NOT NULL);
        CREATE TABLE deliveries (
            automation_file TEXT NOT NULL, replay_key TEXT NOT NULL, received_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL, run_id INTEGER, PRIMARY KEY (automation_file, replay_key));
        CREATE TABLE debounce (automation_file TEXT PRIMARY KEY NOT NULL, run_id INTEGER NOT NULL, window_ends INTEGER NOT NULL);
        """,
        // 1 → 2: tool calls a run parked on (`ask`), and the answers `pie automations approve|deny` give.
        """
        CREATE TABLE approvals (
            run_id INTEGER NOT NULL, call_id TEXT NOT NULL, tool TEXT NOT NULL, arguments TEXT NOT NULL,
            rule TEXT NOT NULL, reason TEXT NOT NULL, asked_at INTEGER NOT NULL, deadline INTEGER NOT NULL,
            answer TEXT, answered_by TEXT, answered_at INTEGER, PRIMARY KEY (run_id, call_id));
        """,
        // 2 → 3: the run each MCP notification key last queued, so later notifications with the
        // same key join it while it waits (`admitNotification`).
        """
        CREATE TABLE notifications (
            automation_file TEXT NOT NULL, dedup_key TEXT NOT NULL, run_id INTEGER NOT NULL,
            PRIMARY KEY (automation_file, dedup_key));
        """,
        // 3 → 4: the worker that ran each run, and lease generations (a fencing token: every claim
        // takes the next number, and finishing checks it), as the PostgreSQL store has them.
        """
        ALTER TABLE runs ADD COLUMN worker TEXT;
        ALTER TABLE leases ADD COLUMN generation INTEGER NOT NULL DEFAULT 0;
        CREATE TABLE lease_counter (value INTEGER NOT NULL);
        INSERT INTO lease_counter (value) VALUES (0);
        """,
    ]

    static var version: Int64 { Int64(migrations.count) }

    /// Brings the store to `version`, or refuses a newer one.
    static func migrate(_ db: SQLiteConnection, path: String) throws(StoreError) {
        let found: Int64
        do throws(SQLiteError) { found = try db.userVersion() } catch { throw .sqlite(path: path, error) }
        if found > version { throw .newerSchema(path: path, found: found, supported: version) }
        guard found < version else { return }
        do throws(SQLiteError) {
            try db.transaction { () throws(SQLiteError) in
                // Another process may have migrated between the read above and taking the write lock.
                let current = try db.userVersion()
                guard current < version else { return }
                for step in migrations[Int(current)...] { try db.execute(step) }
                try db.setUserVersion(version)
            }
        } catch {
            throw .sqlite(path: path, error)
        }
    }
}

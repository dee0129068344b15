import CSQLite
import Glibc
import PieAutomations
import PieSystem

/// The durable state of automations: their ticks, every run, leases, and the webhook replay and
/// debounce caches, in one SQLite file (WAL, so readers such as `pie automations runs` never wait
/// for a running `serve`). Several processes may share a store: every change is one `BEGIN
/// IMMEDIATE` transaction, and the rules that make a tick run exactly once are in
/// docs/automations.md ("Exactly once").
public final class SchedulerStore: Sendable {
    public let path: String
    let database: SQLiteDatabase

    /// How long another process waits for the write lock before an operation fails.
    static let busyTimeoutMilliseconds: Int32 = 10_000

    /// Opens (creating it and its directory when missing) and migrates the store at `path`.
    public init(path: String) throws(StoreError) {
        self.path = path
        try Self.createDirectory(of: path)
        // Runs hold prompts' answers and webhook bodies: only the user may read the store. SQLite
        // gives its -wal and -shm files the database file's permissions.
        let created = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if created >= 0 { close(created) }
        do throws(SQLiteError) {
            database = try SQLiteDatabase(path: path, flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX)
            try database.withConnection { db throws(SQLiteError) in
                db.setBusyTimeout(milliseconds: Self.busyTimeoutMilliseconds)
                try db.execute("PRAGMA journal_mode = WAL")
                try db.execute("PRAGMA synchronous = NORMAL")
            }
        } catch {
            throw .sqlite(path: path, error)
        }
        let migration: Result<Void, StoreError>
        do throws(SQLiteError) {
            migration = try database.withConnection { db throws(SQLiteError) -> Result<Void, StoreError> in
                do throws(StoreError) {
                    try StoreSchema.migrate(db, path: path)
                    return .success(())
                } catch {
                    return .failure(error)
                }
            }
        } catch {
            throw .sqlite(path: path, error)
        }
        try migration.get()
    }

    /// `<pie dir>/automations.db`: `~/.pie/automations.db` unless `PIE_DIR` says otherwise.
    public static func defaultPath(pieDirectory: String) -> String { pieDirectory + "/automations.db" }

    /// The schema version this pie writes.
    public static var schemaVersion: Int64 { StoreSchema.version }

    private static func createDirectory(of path: String) throws(StoreError) {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return }
        let directory = String(path[..<slash])
        do {
            try FileIO.makeDirectories(directory)
        } catch {
            throw .directory(path: directory, reason: "\(error)")
        }
    }

    /// Runs `body` in one write transaction.
    func write<T: Sendable>(_ body: (SQLiteConnection) throws(SQLiteError) -> T) throws(StoreError) -> T {
        do throws(SQLiteError) {
            return try database.withConnection { db throws(SQLiteError) -> T in
                try db.transaction { () throws(SQLiteError) -> T in try body(db) }
            }
        } catch {
            throw .sqlite(path: path, error)
        }
    }

    /// Runs `body` outside a transaction (single statements read a consistent snapshot).
    func read<T: Sendable>(_ body: (SQLiteConnection) throws(SQLiteError) -> T) throws(StoreError) -> T {
        do throws(SQLiteError) {
            return try database.withConnection { db throws(SQLiteError) -> T in try body(db) }
        } catch {
            throw .sqlite(path: path, error)
        }
    }
}

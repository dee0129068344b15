import CSQLite

/// One open SQLite connection: runs SQL and prepares statements, and closes itself in `deinit`.
///
/// Not safe to use from two threads at once; `SQLiteDatabase` serialises every use. Statements
/// hold their connection, so it is closed only after the last of them is finalized.
public final class SQLiteConnection {
    public let handle: OpaquePointer

    /// Opens `path` with `sqlite3_open_v2` flags (`SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE`, …).
    public init(path: String, flags: Int32) throws(SQLiteError) {
        var opened: OpaquePointer?
        let status = sqlite3_open_v2(path, &opened, flags, nil)
        guard status == SQLITE_OK, let opened else {
            // A failed open usually still returns a handle: it holds the message and must be closed.
            let error = SQLiteError(code: status, message: opened.map { String(cString: sqlite3_errmsg($0)) })
            sqlite3_close_v2(opened)
            throw error
        }
        handle = opened
        sqlite3_extended_result_codes(handle, 1)
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    /// The error SQLite recorded for the last failed call on this connection.
    public func lastError() -> SQLiteError {
        SQLiteError(code: sqlite3_extended_errcode(handle), message: String(cString: sqlite3_errmsg(handle)))
    }

    /// Makes a call that meets a lock held by another connection retry for up to `milliseconds`
    /// before it fails with `SQLITE_BUSY`.
    public func setBusyTimeout(milliseconds: Int32) {
        sqlite3_busy_timeout(handle, milliseconds)
    }

    /// Runs `sql`, one or more statements without parameters; any rows they return are dropped.
    public func execute(_ sql: String) throws(SQLiteError) {
        guard sqlite3_exec(handle, sql, nil, nil, nil) == SQLITE_OK else { throw lastError() }
    }

    /// Runs one statement with `arguments` bound to its `?` parameters, to the end.
    public func execute(_ sql: String, _ arguments: [any SQLiteBindable]) throws(SQLiteError) {
        let statement = try prepare(sql)
        try statement.bind(arguments)
        while try statement.step() {}
    }

    public func prepare(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
        try SQLiteStatement(sql, on: self)
    }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    public var changes: Int { Int(sqlite3_changes(handle)) }

    /// The schema version the application stored in the file header (`PRAGMA user_version`).
    public func userVersion() throws(SQLiteError) -> Int64 {
        let statement = try prepare("PRAGMA user_version")
        return try statement.step() ? statement.int64(0) : 0
    }

    public func setUserVersion(_ version: Int64) throws(SQLiteError) {
        try execute("PRAGMA user_version = \(version)")
    }

    /// Runs `body` in one transaction, committed when it returns and rolled back when it throws.
    ///
    /// `BEGIN IMMEDIATE` takes the write lock up front. A deferred transaction that reads first
    /// fails at once with `SQLITE_BUSY` when another process wrote in between, without waiting
    /// through the busy timeout.
    public func transaction<T>(_ body: () throws(SQLiteError) -> T) throws(SQLiteError) -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            // SQLite may already have rolled back (a full disk, for one); then there is nothing to end.
            if sqlite3_get_autocommit(handle) == 0 { sqlite3_exec(handle, "ROLLBACK", nil, nil, nil) }
            throw error
        }
    }
}

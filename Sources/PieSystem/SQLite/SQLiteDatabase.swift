import Synchronization

/// One SQLite connection shared by every thread that uses it: each use holds a lock, so one
/// statement runs at a time.
///
/// The session index's statements take milliseconds, so a single connection is enough, and
/// separate pie processes on the same file are kept apart by SQLite's own file locks and the busy
/// timeout.
public final class SQLiteDatabase: Sendable {
    private let connection: Mutex<SQLiteConnection>

    public init(path: String, flags: Int32) throws(SQLiteError) {
        connection = Mutex(try SQLiteConnection(path: path, flags: flags))
    }

    /// Runs `body` with the connection, holding the lock for its whole duration.
    public func withConnection<T: Sendable>(_ body: (SQLiteConnection) throws(SQLiteError) -> T) throws(SQLiteError) -> T {
        try connection.withLock { connection throws(SQLiteError) -> T in try body(connection) }
    }
}

import CSQLite
import Glibc
import PieSystem

/// The embedded store: one SQLite file (WAL, so readers such as `pie automations runs` never wait
/// for a running `serve`). Several processes on one host may share it: every change is one `BEGIN
/// IMMEDIATE` transaction, which holds the whole file, so claims need no row locks.
final class SQLiteStoreDatabase: StoreDatabase {
    let path: String
    let database: SQLiteDatabase
    let dialect = StoreDialect.sqlite

    /// How long another process waits for the write lock before an operation fails.
    static let busyTimeoutMilliseconds: Int32 = 10_000

    var location: String { path }

    /// Opens (creating it and its directory when missing) and migrates the store at `path`.
    init(path: String) throws(StoreError) {
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

    private static func createDirectory(of path: String) throws(StoreError) {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return }
        let directory = String(path[..<slash])
        do {
            try FileIO.makeDirectories(directory)
        } catch {
            throw .directory(path: directory, reason: "\(error)")
        }
    }

    func write<T: Sendable>(_ body: (any StoreSession) throws(StoreQueryError) -> T) throws(StoreError) -> T {
        try run { db throws(StoreQueryError) -> T in
            try Self.transaction(db) { () throws(StoreQueryError) -> T in try body(SQLiteSession(connection: db)) }
        }
    }

    func read<T: Sendable>(_ body: (any StoreSession) throws(StoreQueryError) -> T) throws(StoreError) -> T {
        try run { db throws(StoreQueryError) -> T in try body(SQLiteSession(connection: db)) }
    }

    /// Runs `body` holding the connection, mapping both error kinds to the store's.
    private func run<T: Sendable>(_ body: (SQLiteConnection) throws(StoreQueryError) -> T) throws(StoreError) -> T {
        let outcome: Result<T, StoreQueryError>
        do throws(SQLiteError) {
            outcome = try database.withConnection { db throws(SQLiteError) -> Result<T, StoreQueryError> in
                do throws(StoreQueryError) { return .success(try body(db)) } catch { return .failure(error) }
            }
        } catch {
            throw .sqlite(path: path, error)
        }
        switch outcome {
        case .success(let value): return value
        case .failure(.sqlite(let error)): throw .sqlite(path: path, error)
        case .failure(.postgres(let error)): throw .postgres(store: path, error)
        case .failure(.inconsistent(let message)): throw .sqlite(path: path, SQLiteError(code: 1, message: message))
        }
    }

    /// One `BEGIN IMMEDIATE` transaction (as `SQLiteConnection.transaction`) around a body that
    /// throws the store's query errors: committed when it returns, rolled back when it throws.
    private static func transaction<T>(_ db: SQLiteConnection, _ body: () throws(StoreQueryError) -> T) throws(StoreQueryError) -> T {
        do throws(SQLiteError) { try db.execute("BEGIN IMMEDIATE") } catch { throw .sqlite(error) }
        do throws(StoreQueryError) {
            let result = try body()
            do throws(SQLiteError) { try db.execute("COMMIT") } catch { throw .sqlite(error) }
            return result
        } catch {
            // SQLite may already have rolled back (a full disk, for one); then there is nothing to end.
            if sqlite3_get_autocommit(db.handle) == 0 { sqlite3_exec(db.handle, "ROLLBACK", nil, nil, nil) }
            throw error
        }
    }
}

/// The SQLite connection as the shared statements use it.
final class SQLiteSession: StoreSession {
    let connection: SQLiteConnection
    var dialect: StoreDialect { .sqlite }

    init(connection: SQLiteConnection) { self.connection = connection }

    @discardableResult
    func execute(_ sql: String, _ arguments: [any StoreBindable]) throws(StoreQueryError) -> Int {
        do throws(SQLiteError) {
            let statement = try prepared(sql, arguments)
            while try statement.step() {}
            return connection.changes
        } catch {
            throw .sqlite(error)
        }
    }

    func query(_ sql: String, _ arguments: [any StoreBindable]) throws(StoreQueryError) -> [StoreRow] {
        do throws(SQLiteError) {
            let statement = try prepared(sql, arguments)
            var rows: [StoreRow] = []
            while try statement.step() {
                var values: [StoreValue] = []
                for column in 0..<statement.columnCount {
                    switch statement.columnType(column) {
                    case SQLITE_NULL: values.append(.null)
                    case SQLITE_INTEGER: values.append(.integer(statement.int64(column)))
                    case SQLITE_FLOAT: values.append(.real(statement.double(column)))
                    default: values.append(.text(statement.text(column) ?? ""))
                    }
                }
                rows.append(StoreRow(values: values))
            }
            return rows
        } catch {
            throw .sqlite(error)
        }
    }

    private func prepared(_ sql: String, _ arguments: [any StoreBindable]) throws(SQLiteError) -> SQLiteStatement {
        let statement = try connection.prepare(sql)
        try statement.bind(arguments.map { argument -> any SQLiteBindable in
            switch argument.storeValue {
            case .null: Int64?.none
            case .integer(let value): value
            case .real(let value): value
            case .text(let value): value
            }
        })
        return statement
    }
}

import PieSystem
import Synchronization

/// The automation store on a PostgreSQL server, shared by workers on several machines. A small
/// pool of connections serves the threads of one process; each operation is one transaction at
/// READ COMMITTED, and the statements that must not race take row locks (`FOR UPDATE SKIP
/// LOCKED` for claims, the automation's row for its ticks). A connection the server closed is
/// dropped, and the next operation connects again, so a restarted server costs the operations
/// that ran while it was down (they fail with a message, and the serve loop tries again).
final class PostgresStoreDatabase: StoreDatabase {
    let url: PostgresURL
    let dialect = StoreDialect.postgres
    private let idle = Mutex<[PostgresConnection]>([])
    private let applicationName: String

    /// How many idle connections are kept for reuse.
    static let keptConnections = 8

    var location: String { url.description }

    /// Connects once (so a wrong URL fails at start, with libpq's reason) and migrates the schema.
    init(url: PostgresURL, applicationName: String = "pie automations") throws(StoreError) {
        self.url = url
        self.applicationName = applicationName
        let connection = try connect()
        do throws(PostgresError) {
            try PostgresSchema.migrate(connection)
        } catch {
            throw .postgres(store: url.description, error)
        }
        release(connection)
    }

    /// A pooled connection, or a new one.
    private func connect() throws(StoreError) -> PostgresConnection {
        if let pooled = idle.withLock({ $0.popLast() }) { return pooled }
        do {
            return try PostgresConnection(url: url, applicationName: applicationName)
        } catch {
            throw .postgres(store: url.description, error)
        }
    }

    private func release(_ connection: PostgresConnection) {
        guard connection.isUsable else { return }
        idle.withLock { pool in
            if pool.count < Self.keptConnections { pool.append(connection) }
        }
    }

    func write<T: Sendable>(_ body: (any StoreSession) throws(StoreQueryError) -> T) throws(StoreError) -> T {
        try run(transaction: true, body)
    }

    func read<T: Sendable>(_ body: (any StoreSession) throws(StoreQueryError) -> T) throws(StoreError) -> T {
        try run(transaction: false, body)
    }

    private func run<T>(transaction: Bool, _ body: (any StoreSession) throws(StoreQueryError) -> T) throws(StoreError) -> T {
        var attempt = 1
        while true {
            let connection = try connect()
            let session = PostgresSession(connection: connection)
            if transaction {
                do throws(PostgresError) {
                    try connection.command("BEGIN")
                } catch {
                    // A pooled connection the server closed (it restarted) fails here, before the
                    // operation did anything: it is dropped and the operation tries a new one.
                    if !connection.isUsable, attempt < 3 {
                        attempt += 1
                        continue
                    }
                    throw store(.postgres(error))
                }
            }
            let result: T
            do throws(StoreQueryError) {
                result = try body(session)
            } catch {
                // A connection whose transaction cannot be ended is not reused.
                if !transaction || (connection.isUsable && (try? connection.command("ROLLBACK")) != nil) { release(connection) }
                // Reads change nothing: one that met a connection the server closed runs again on a new one.
                if !transaction, !connection.isUsable, attempt < 3 {
                    attempt += 1
                    continue
                }
                // Two transactions that wait for each other: the server ends one; it is run again.
                if case .postgres(let failure) = error, Self.retryable.contains(failure.sqlState), attempt < 3 {
                    attempt += 1
                    continue
                }
                throw store(error)
            }
            if transaction {
                do throws(PostgresError) {
                    try connection.command("COMMIT")
                } catch {
                    // The server refused the commit (it rolled back), or the connection broke while
                    // the COMMIT was on its way: then the server may have applied it or not, and only
                    // a later look can tell. Never run again here: the change may be in.
                    guard connection.isUsable else {
                        throw store(.postgres(PostgresError(kind: .commitUnknown, message: error.message)))
                    }
                    release(connection)
                    if Self.retryable.contains(error.sqlState), attempt < 3 {
                        attempt += 1
                        continue
                    }
                    throw store(.postgres(error))
                }
            }
            release(connection)
            return result
        }
    }

    /// SQLSTATEs of a transaction the server ended to break a deadlock or a serialization conflict.
    static let retryable: Set<String> = ["40P01", "40001"]

    private func store(_ error: StoreQueryError) -> StoreError {
        switch error {
        case .postgres(let error): .postgres(store: url.description, error)
        case .sqlite(let error): .sqlite(path: url.description, error)
        case .inconsistent(let message): .postgres(store: url.description, PostgresError(kind: .statement, message: message))
        }
    }
}

/// One pooled connection as the shared statements use it: `?` parameters become `$1`, `$2`, ….
final class PostgresSession: StoreSession {
    let connection: PostgresConnection
    var dialect: StoreDialect { .postgres }

    init(connection: PostgresConnection) { self.connection = connection }

    @discardableResult
    func execute(_ sql: String, _ arguments: [any StoreBindable]) throws(StoreQueryError) -> Int {
        do {
            return try connection.executePrepared(Self.numbered(sql), arguments.map(\.storeValue)).changed
        } catch {
            throw .postgres(error)
        }
    }

    func query(_ sql: String, _ arguments: [any StoreBindable]) throws(StoreQueryError) -> [StoreRow] {
        do {
            return try connection.executePrepared(Self.numbered(sql), arguments.map(\.storeValue)).rows
        } catch {
            throw .postgres(error)
        }
    }

    /// `sql` with each `?` outside a quoted literal or identifier replaced by `$n`, numbered in order.
    /// Scanned as UTF-8 bytes: `?` and the quotes are ASCII, and no byte of a multi-byte character
    /// is ASCII.
    static func numbered(_ sql: String) -> String {
        var result: [UInt8] = []
        result.reserveCapacity(sql.utf8.count + 16)
        var number = 0
        var quote: UInt8?
        for byte in sql.utf8 {
            if let open = quote {
                if byte == open { quote = nil }
                result.append(byte)
            } else if byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\"") {
                quote = byte
                result.append(byte)
            } else if byte == UInt8(ascii: "?") {
                number += 1
                result.append(UInt8(ascii: "$"))
                result += Array(String(number).utf8)
            } else {
                result.append(byte)
            }
        }
        return String(decoding: result, as: UTF8.self)
    }
}

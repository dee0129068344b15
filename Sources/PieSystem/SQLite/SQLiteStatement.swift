import CSQLite

/// A prepared statement: bind arguments, step through rows, read columns by position. Finalized
/// in `deinit`; reusable by binding new arguments.
public final class SQLiteStatement {
    private let connection: SQLiteConnection
    private let handle: OpaquePointer

    /// SQLite copies bound text before the bind call returns. Swift cannot import the
    /// `SQLITE_TRANSIENT` macro, so its value, -1 as a destructor pointer, is spelled out.
    private static var transient: sqlite3_destructor_type { unsafeBitCast(-1, to: sqlite3_destructor_type.self) }

    public init(_ sql: String, on connection: SQLiteConnection) throws(SQLiteError) {
        var prepared: OpaquePointer?
        guard sqlite3_prepare_v2(connection.handle, sql, -1, &prepared, nil) == SQLITE_OK else {
            throw connection.lastError()
        }
        guard let prepared else { throw SQLiteError(code: SQLITE_MISUSE, message: "no SQL statement in \"\(sql)\"") }
        self.connection = connection
        handle = prepared
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// Binds `arguments` to the `?` parameters in order, replacing those of an earlier run.
    public func bind(_ arguments: [any SQLiteBindable]) throws(SQLiteError) {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        let expected = Int(sqlite3_bind_parameter_count(handle))
        guard arguments.count == expected else {
            throw SQLiteError(
                code: SQLITE_RANGE, message: "statement takes \(expected) arguments, \(arguments.count) were given")
        }
        for (offset, argument) in arguments.enumerated() {
            try argument.bind(to: self, at: Int32(offset + 1))
        }
    }

    public func bindNull(at index: Int32) throws(SQLiteError) {
        try check(sqlite3_bind_null(handle, index))
    }

    public func bind(_ value: Int64, at index: Int32) throws(SQLiteError) {
        try check(sqlite3_bind_int64(handle, index, value))
    }

    public func bind(_ value: Double, at index: Int32) throws(SQLiteError) {
        try check(sqlite3_bind_double(handle, index, value))
    }

    public func bind(_ value: String, at index: Int32) throws(SQLiteError) {
        var text = value
        let status = text.withUTF8 { bytes -> Int32 in
            // An empty string may have no buffer, and a null pointer would bind NULL instead of ''.
            guard let base = bytes.baseAddress else {
                return sqlite3_bind_text64(handle, index, "", 0, Self.transient, UInt8(SQLITE_UTF8))
            }
            return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) { characters in
                sqlite3_bind_text64(
                    handle, index, characters, sqlite3_uint64(bytes.count), Self.transient, UInt8(SQLITE_UTF8))
            }
        }
        try check(status)
    }

    private func check(_ status: Int32) throws(SQLiteError) {
        guard status == SQLITE_OK else { throw connection.lastError() }
    }

    /// Runs the statement to its next row: true when a row can be read, false when it is done.
    public func step() throws(SQLiteError) -> Bool {
        let status = sqlite3_step(handle)
        if status == SQLITE_ROW { return true }
        if status == SQLITE_DONE { return false }
        throw connection.lastError()
    }

    // MARK: Columns of the current row, by position from 0

    /// How many columns the statement's rows have.
    public var columnCount: Int32 { sqlite3_column_count(handle) }

    /// The column's storage class in this row: `SQLITE_INTEGER`, `SQLITE_FLOAT`, `SQLITE_TEXT`,
    /// `SQLITE_BLOB` or `SQLITE_NULL`.
    public func columnType(_ column: Int32) -> Int32 {
        sqlite3_column_type(handle, column)
    }

    public func isNull(_ column: Int32) -> Bool {
        sqlite3_column_type(handle, column) == SQLITE_NULL
    }

    public func int64(_ column: Int32) -> Int64 {
        sqlite3_column_int64(handle, column)
    }

    public func int(_ column: Int32) -> Int {
        Int(sqlite3_column_int64(handle, column))
    }

    public func double(_ column: Int32) -> Double {
        sqlite3_column_double(handle, column)
    }

    /// The column as UTF-8 text; nil for NULL.
    public func text(_ column: Int32) -> String? {
        guard !isNull(column), let bytes = sqlite3_column_text(handle, column) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }
}

import CSQLite

/// A failed SQLite call: the extended result code and SQLite's own message (`sqlite3_errmsg`), which
/// names the problem ("file is not a database", "database is locked", "no such table: sessions").
public struct SQLiteError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The extended result code, e.g. 26 (`SQLITE_NOTADB`) or 5 (`SQLITE_BUSY`).
    public var code: Int32
    public var message: String

    public var description: String { "SQLite error \(code): \(message)" }

    /// The message SQLite documents for `code`, for failures that have no connection to ask.
    public init(code: Int32, message: String? = nil) {
        self.code = code
        self.message = message ?? String(cString: sqlite3_errstr(code))
    }
}

import CSQLite

/// A failed SQLite call: the extended result code and SQLite's own message (`sqlite3_errmsg`), which
/// names the problem ("file is not a database", "database is locked", "no such table: sessions").
struct SQLiteError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The extended result code, e.g. 26 (`SQLITE_NOTADB`) or 5 (`SQLITE_BUSY`).
    var code: Int32
    var message: String

    var description: String { "SQLite error \(code): \(message)" }

    /// The message SQLite documents for `code`, for failures that have no connection to ask.
    init(code: Int32, message: String? = nil) {
        self.code = code
        self.message = message ?? String(cString: sqlite3_errstr(code))
    }
}

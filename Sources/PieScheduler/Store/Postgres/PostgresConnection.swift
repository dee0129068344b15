import CPostgres
import Glibc

/// One libpq connection, used by one thread at a time: the pool in `PostgresStoreDatabase` hands
/// it to one operation and takes it back after (hence `@unchecked Sendable`: it moves between
/// threads, never shared). Every statement's values go as parameters, never spliced into the SQL
/// text; the store's statements are prepared once per connection.
final class PostgresConnection: @unchecked Sendable {
    private let handle: OpaquePointer

    /// Connects with libpq's keyword/value API (no connection string to build or escape). A
    /// transaction a paused or vanished client leaves open is ended by the server after 10 s
    /// (`idle_in_transaction_session_timeout`), so it cannot hold row locks other workers need.
    init(url: PostgresURL, applicationName: String) throws(PostgresError) {
        try PostgresLibrary.load()
        var pairs: [(String, String)] = [
            ("host", url.host), ("port", String(url.port)), ("user", url.user), ("dbname", url.database),
            ("connect_timeout", "5"), ("application_name", applicationName),
            ("options", "-c idle_in_transaction_session_timeout=10000"),
        ]
        if let password = url.password { pairs.append(("password", password)) }
        if let mode = url.sslMode { pairs.append(("sslmode", mode)) }
        let keywords = pairs.map { strdup($0.0) } + [nil]
        let values = pairs.map { strdup($0.1) } + [nil]
        defer {
            keywords.forEach { free($0) }
            values.forEach { free($0) }
        }
        let connection = keywords.map { UnsafePointer($0) }.withUnsafeBufferPointer { keywordBuffer in
            values.map { UnsafePointer($0) }.withUnsafeBufferPointer { valueBuffer in
                cpq_connectdb_params(keywordBuffer.baseAddress, valueBuffer.baseAddress)
            }
        }
        guard let connection else { throw PostgresError(kind: .connection, message: "libpq could not allocate a connection") }
        guard cpq_status(connection) == CONNECTION_OK else {
            let message = Self.trimmed(cpq_error_message(connection))
            cpq_finish(connection)
            throw PostgresError(kind: .connection, message: message)
        }
        cpq_silence_notices(connection)
        handle = connection
    }

    deinit { cpq_finish(handle) }

    /// False once the server closed the connection or it broke: the pool then drops it.
    var isUsable: Bool { cpq_status(handle) == CONNECTION_OK }

    /// Runs one statement (`$1`, `$2`, … parameters) parsed and planned for this call only
    /// (migrations: statements that run once); returns its rows and the rows it changed.
    func execute(_ sql: String, _ arguments: [StoreValue]) throws(PostgresError) -> (rows: [StoreRow], changed: Int) {
        let (types, texts) = Self.parameters(arguments)
        defer { texts.forEach { free($0) } }
        let result = types.withUnsafeBufferPointer { typeBuffer in
            texts.map { UnsafePointer($0) }.withUnsafeBufferPointer { valueBuffer in
                cpq_exec_params(handle, sql, Int32(arguments.count), typeBuffer.baseAddress, valueBuffer.baseAddress, nil, nil, 0)
            }
        }
        return try outcome(result)
    }

    /// Runs one statement prepared once on this connection (the first call with its text and
    /// parameter types sends `PQprepare`; later ones only the name and the values), so the server
    /// parses it once and may keep its plan: what the store's operations run again and again.
    func executePrepared(_ sql: String, _ arguments: [StoreValue]) throws(PostgresError) -> (rows: [StoreRow], changed: Int) {
        let (types, texts) = Self.parameters(arguments)
        defer { texts.forEach { free($0) } }
        let key = PreparedKey(sql: sql, types: types)
        let name: String
        if let known = prepared[key] {
            name = known
        } else {
            name = "pie_\(prepared.count + 1)"
            let result = types.withUnsafeBufferPointer { typeBuffer in
                cpq_prepare(handle, name, sql, Int32(types.count), typeBuffer.baseAddress)
            }
            _ = try outcome(result)
            prepared[key] = name
        }
        let result = texts.map { UnsafePointer($0) }.withUnsafeBufferPointer { valueBuffer in
            cpq_exec_prepared(handle, name, Int32(arguments.count), valueBuffer.baseAddress)
        }
        return try outcome(result)
    }

    /// Runs a statement without parameters as a simple query (`BEGIN`, `COMMIT`, `ROLLBACK`).
    func command(_ sql: String) throws(PostgresError) {
        _ = try outcome(cpq_exec(handle, sql))
    }

    /// A statement's text and parameter types: one prepared statement each.
    private struct PreparedKey: Hashable {
        var sql: String
        var types: [UInt32]
    }

    /// The statements prepared on this connection, by text and parameter types.
    private var prepared: [PreparedKey: String] = [:]

    /// Each value as libpq's text format, with its type: integers are sent typed as `int8` and
    /// reals as `float8`; text and NULL leave the type to the server, which takes it from the
    /// column or operator they meet. The texts are `strdup`ed: the caller frees them.
    private static func parameters(_ arguments: [StoreValue]) -> (types: [UInt32], texts: [UnsafeMutablePointer<CChar>?]) {
        var types: [UInt32] = []
        var texts: [UnsafeMutablePointer<CChar>?] = []
        for argument in arguments {
            switch argument {
            case .null:
                types.append(0)
                texts.append(nil)
            case .integer(let value):
                types.append(20)
                texts.append(strdup(String(value)))
            case .real(let value):
                types.append(701)
                texts.append(strdup("\(value)"))
            case .text(let value):
                types.append(0)
                texts.append(strdup(value))
            }
        }
        return (types, texts)
    }

    /// The rows of a finished call, or its error (a connection error when the connection broke).
    private func outcome(_ result: OpaquePointer?) throws(PostgresError) -> (rows: [StoreRow], changed: Int) {
        guard let result else {
            throw PostgresError(kind: isUsable ? .statement : .connection, message: Self.trimmed(cpq_error_message(handle)))
        }
        defer { cpq_clear(result) }
        let status = cpq_result_status(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else {
            let state = cpq_result_error_field(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) } ?? ""
            let message = Self.trimmed(cpq_result_error_message(result))
            throw PostgresError(kind: isUsable ? .statement : .connection, sqlState: state, message: message)
        }
        var rows: [StoreRow] = []
        let rowCount = cpq_ntuples(result), columnCount = cpq_nfields(result)
        rows.reserveCapacity(Int(rowCount))
        for row in 0..<rowCount {
            var values: [StoreValue] = []
            values.reserveCapacity(Int(columnCount))
            for column in 0..<columnCount {
                if cpq_getisnull(result, row, column) == 1 {
                    values.append(.null)
                } else {
                    values.append(.text(cpq_getvalue(result, row, column).map { String(cString: $0) } ?? ""))
                }
            }
            rows.append(StoreRow(values: values))
        }
        let changed = cpq_cmd_tuples(result).map { Int(String(cString: $0)) ?? 0 } ?? 0
        return (rows, changed)
    }

    private static func trimmed(_ message: UnsafePointer<CChar>?) -> String {
        guard let message else { return "unknown libpq error" }
        let text = String(cString: message)
        let cut = text.reversed().drop { $0 == "\n" || $0 == " " }
        let trimmed = String(cut.reversed())
        return trimmed.isEmpty ? "unknown libpq error" : trimmed.replacing("\n", with: "; ")
    }
}


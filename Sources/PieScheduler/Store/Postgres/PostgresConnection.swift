import CPostgres
import Glibc

/// One libpq connection, used by one thread at a time: the pool in `PostgresStoreDatabase` hands
/// it to one operation and takes it back after (hence `@unchecked Sendable`: it moves between
/// threads, never shared). Every statement goes through `PQexecParams` with its values as
/// parameters, never spliced into the SQL text.
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

    /// Runs one statement (`$1`, `$2`, … parameters); returns its rows and the rows it changed.
    /// Integers are sent typed as `int8` and reals as `float8`; text and NULL leave the type to the
    /// server, which takes it from the column or operator they meet.
    func execute(_ sql: String, _ arguments: [StoreValue]) throws(PostgresError) -> (rows: [StoreRow], changed: Int) {
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
        defer { texts.forEach { free($0) } }
        let result = types.withUnsafeBufferPointer { typeBuffer in
            texts.map { UnsafePointer($0) }.withUnsafeBufferPointer { valueBuffer in
                cpq_exec_params(handle, sql, Int32(arguments.count), typeBuffer.baseAddress, valueBuffer.baseAddress, nil, nil, 0)
            }
        }
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


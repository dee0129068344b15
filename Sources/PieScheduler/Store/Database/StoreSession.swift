import PieSystem

/// One connection inside one transaction, as the store's shared statements see it. Statements
/// are written once, with `?` parameters and the SQL both dialects accept; what differs is in
/// `StoreDialect`.
protocol StoreSession: AnyObject {
    var dialect: StoreDialect { get }
    /// Runs one statement to the end; returns the rows it inserted, updated or deleted.
    @discardableResult
    func execute(_ sql: String, _ arguments: [any StoreBindable]) throws(StoreQueryError) -> Int
    /// Runs one statement and returns every row it produced.
    func query(_ sql: String, _ arguments: [any StoreBindable]) throws(StoreQueryError) -> [StoreRow]
}

extension StoreSession {
    /// The first row, if any.
    func first(_ sql: String, _ arguments: [any StoreBindable]) throws(StoreQueryError) -> StoreRow? {
        try query(sql, arguments).first
    }
}

/// What the two backends do differently, kept to the few places the shared statements branch on.
struct StoreDialect: Sendable {
    /// Appended to the claim's SELECT of a run joined with its automation: `FOR UPDATE … SKIP
    /// LOCKED` of both rows where rows are locked one by one (PostgreSQL); empty where a
    /// transaction holds the whole database (SQLite's `BEGIN IMMEDIATE`).
    var lockClaimed: String
    /// Whether transactions of several workers interleave (row locks), so that a claim must lock
    /// its automation's row and look again for a running run before it starts one.
    var rowLocks: Bool
    /// Whether the server takes a list as one array parameter (`= ANY($1)`): one statement text,
    /// prepared once, whatever the list's length. Otherwise an `IN (?, ?, …)` list.
    var arrays: Bool
    /// The statement that returns the next lease generation (a number no claim got before).
    var nextGeneration: String
    /// Whether a live holder on this host keeps its run past its lease (the process table is the
    /// truth for a store only this host's processes use); otherwise the lease's expiry decides.
    var localProcessKeepsLease: Bool

    static let sqlite = StoreDialect(
        lockClaimed: "", rowLocks: false, arrays: false,
        nextGeneration: "UPDATE lease_counter SET value = value + 1 RETURNING value", localProcessKeepsLease: true)

    static let postgres = StoreDialect(
        lockClaimed: " FOR UPDATE OF runs, automations SKIP LOCKED", rowLocks: true, arrays: true,
        nextGeneration: "SELECT nextval('lease_generation')", localProcessKeepsLease: false)

    /// `column` is one of `values`: the condition and its arguments.
    func oneOf(_ column: String, _ values: [String]) -> (condition: String, arguments: [any StoreBindable]) {
        guard arrays else {
            return ("\(column) IN (\(SchedulerStore.placeholders(values.count)))", values.map { $0 as any StoreBindable })
        }
        return ("\(column) = ANY(CAST(? AS TEXT[]))", [Self.arrayLiteral(values)])
    }

    /// PostgreSQL's text form of a one-dimensional text array: every element double-quoted, with
    /// `"` and `\` escaped by a backslash (so commas, braces, spaces and NULL-like words stay text).
    static func arrayLiteral(_ values: [String]) -> String {
        let elements = values.map { value in
            // By scalar: a quote followed by a combining mark is one Character but still a quote.
            var quoted = String.UnicodeScalarView()
            quoted.append("\"")
            for scalar in value.unicodeScalars {
                if scalar == "\"" || scalar == "\\" { quoted.append("\\") }
                quoted.append(scalar)
            }
            quoted.append("\"")
            return String(quoted)
        }
        return "{" + elements.joined(separator: ",") + "}"
    }
}

/// A failed statement or connection, from either backend.
enum StoreQueryError: Error, Sendable {
    case sqlite(SQLiteError)
    case postgres(PostgresError)
    /// The store's own consistency check failed (a row vanished inside its transaction).
    case inconsistent(String)
}

/// A backend: opens transactions on its database. `SchedulerStore` holds one and runs every
/// operation through it.
protocol StoreDatabase: Sendable {
    /// The store as people should see it in messages: a path, or a URL without its password.
    var location: String { get }
    var dialect: StoreDialect { get }
    /// Runs `body` in one write transaction, committed when it returns.
    func write<T: Sendable>(_ body: (any StoreSession) throws(StoreQueryError) -> T) throws(StoreError) -> T
    /// Runs `body` for reads; each statement sees a consistent snapshot.
    func read<T: Sendable>(_ body: (any StoreSession) throws(StoreQueryError) -> T) throws(StoreError) -> T
}

import PieAutomations
import PieSystem
import Synchronization

/// The durable state of automations: their ticks, every run, leases, approvals, and the webhook
/// replay, debounce and notification caches. One implementation of `AutomationStore` over two
/// backends (`StoreDatabase`): an embedded SQLite file (the default) or a PostgreSQL server that
/// workers on several machines share. The statements are written once; the backends differ in
/// their connection, schema and the few places `StoreDialect` names. The rules that make a tick
/// run exactly once are in docs/automations.md ("Exactly once", "Many workers").
public final class SchedulerStore: AutomationStore {
    let database: any StoreDatabase
    /// Claims whose COMMIT this process sent but never heard back about (the connection broke):
    /// settled by the next heartbeat (`settle`). Only this process knows of them.
    let unconfirmed = Mutex<[UnconfirmedClaim]>([])
    /// The runs this process claimed (`claimNext`) and has not finished, by owner: a heartbeat
    /// that finds one of their leases gone tells the owner to stop it.
    let claimed = Mutex<[LeaseOwner: Set<RunID>]>([:])

    /// The store as messages show it: the SQLite file's path, or the PostgreSQL URL without its password.
    public var location: String { database.location }

    /// The SQLite file's path (or the masked URL of a PostgreSQL store).
    public var path: String { database.location }

    /// Opens (creating it and its directory when missing) and migrates the SQLite store at `path`.
    public convenience init(path: String) throws(StoreError) {
        self.init(database: try SQLiteStoreDatabase(path: path))
    }

    /// Opens the store at `location`: connects (PostgreSQL) or opens the file (SQLite), and
    /// migrates its schema.
    public convenience init(_ location: StoreLocation) throws(StoreError) {
        switch location {
        case .sqlite(let path): self.init(database: try SQLiteStoreDatabase(path: path))
        case .postgres(let url): self.init(database: try PostgresStoreDatabase(url: url))
        }
    }

    init(database: any StoreDatabase) {
        self.database = database
    }

    /// `<pie dir>/automations.db`: `~/.pie/automations.db` unless `PIE_DIR` says otherwise.
    public static func defaultPath(pieDirectory: String) -> String { pieDirectory + "/automations.db" }

    /// The schema version this pie writes to a SQLite store.
    public static var schemaVersion: Int64 { StoreSchema.version }

    /// Runs `body` in one write transaction.
    func write<T: Sendable>(_ body: (any StoreSession) throws(StoreQueryError) -> T) throws(StoreError) -> T {
        try database.write(body)
    }

    /// Runs `body` outside a transaction (single statements read a consistent snapshot).
    func read<T: Sendable>(_ body: (any StoreSession) throws(StoreQueryError) -> T) throws(StoreError) -> T {
        try database.read(body)
    }
}

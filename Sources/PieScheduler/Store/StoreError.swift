import PieSystem

/// Why the store could not be opened or used. Each message names the store and what to do.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String, SQLiteError)
    /// A PostgreSQL store failed; `store` is its URL with the password masked.
    case postgres(store: String, PostgresError)
    /// The file was written by a newer pie whose schema this one does not know.
    case newerSchema(path: String, found: Int64, supported: Int64)
    case directory(path: String, reason: String)
    case noSuchRun(RunID)
    /// `--store` or `PIE_AUTOMATIONS_STORE` is not a store location pie understands.
    case badLocation(String)

    /// The connection broke while a COMMIT was on its way: the change may or may not be in the store.
    public var isCommitUnknown: Bool {
        if case .postgres(_, let error) = self { return error.kind == .commitUnknown }
        return false
    }

    public var description: String {
        switch self {
        case .sqlite(let path, let error):
            "automation store \(path): \(error.message) (SQLite error \(error.code)); "
                + "check the file and its directory are writable, or move it aside to start a new store"
        case .postgres(let store, let error):
            "automation store \(store): \(error.description)"
        case .newerSchema(let path, let found, let supported):
            "automation store \(path) has schema version \(found), newer than this pie's \(supported); "
                + "run the newer pie, or pass --store with another file"
        case .directory(let path, let reason):
            "cannot create the automation store's directory \(path): \(reason)"
        case .noSuchRun(let id):
            "no run \(id) in the automation store; `pie automations runs` lists them"
        case .badLocation(let reason):
            reason
        }
    }
}

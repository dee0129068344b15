/// A path of pie's own state that no tool may read or write in this run, wherever it lives: the
/// audit log that records the calls, the state directory (`PIE_DIR`: sessions, `auth.json`, the
/// default audit log) and the session file. They are added to the deny list from the run's
/// actual paths, so a log or a `PIE_DIR` inside the project is out of reach too.
public struct StatePath: Sendable, Equatable {
    /// Absolute and normalized.
    public var path: String
    /// What it is, for `--print-tool-policy` (`audit log`, `PIE_DIR`, …).
    public var what: String
    /// Where the path came from (`flag`, `env:PIE_DIR`, `default`, `--session`, …).
    public var source: String

    public init(path: String, what: String, source: String) {
        self.path = path
        self.what = what
        self.source = source
    }
}

import Synchronization

/// Holds a rule's `ExecOptionTable`, built on the first check of the command rather than when
/// the profile is loaded: a builtin profile has about 150 rules, and building every table took
/// about a quarter of pie's start-up instructions although one session checks only a few
/// commands. The table is derived from the rule's option lists, so the cache is no part of the
/// rule's value: any two caches compare equal, and a rule whose lists change gets a new one.
final class ExecOptionTableCache: Sendable, Equatable {
    private let table = Mutex<ExecOptionTable?>(nil)

    init() {}

    /// The table, built by `build` the first time.
    func table(_ build: () -> ExecOptionTable) -> ExecOptionTable {
        table.withLock { table in
            if let table { return table }
            let built = build()
            table = built
            return built
        }
    }

    static func == (_: ExecOptionTableCache, _: ExecOptionTableCache) -> Bool {
        true
    }
}

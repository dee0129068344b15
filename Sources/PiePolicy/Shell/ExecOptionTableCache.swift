import Synchronization

/// Holds a rule's `ExecOptionTable`, built on the first check of the command rather than when
/// the profile is loaded: a builtin profile has about 150 rules, and building every table took
/// about a quarter of pie's start-up instructions although one session checks only a few
/// commands. The table is derived from the rule's option lists, so the cache is no part of the
/// rule's value: any two caches compare equal, and a rule whose lists change gets a new one.
///
/// Once built, reading it is one atomic load and no lock: it is read on every check of every
/// command. Two threads that race on the first check may both build it; one table is kept.
final class ExecOptionTableCache: Sendable, Equatable {
    private let box = Atomic<Unmanaged<ExecOptionTableBox>?>(nil)

    init() {}

    deinit {
        box.load(ordering: .acquiring)?.release()
    }

    /// The table, built by `build` the first time.
    func table(_ build: () -> ExecOptionTable) -> ExecOptionTableBox {
        if let built = box.load(ordering: .acquiring) { return built.takeUnretainedValue() }
        let new = Unmanaged.passRetained(ExecOptionTableBox(table: build()))
        let (exchanged, original) = box.compareExchange(
            expected: nil, desired: new, ordering: .acquiringAndReleasing)
        guard !exchanged, let original else { return new.takeUnretainedValue() }
        new.release()
        return original.takeUnretainedValue()
    }

    static func == (_: ExecOptionTableCache, _: ExecOptionTableCache) -> Bool {
        true
    }
}

/// A built table, shared by reference so that a check reads it without copying it.
final class ExecOptionTableBox: Sendable {
    let table: ExecOptionTable

    init(table: ExecOptionTable) {
        self.table = table
    }
}

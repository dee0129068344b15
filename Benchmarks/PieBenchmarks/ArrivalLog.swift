import Synchronization

/// Timestamps by event index, written from the transport or server thread.
final class ArrivalLog: Sendable {
    private let entries: Mutex<[ContinuousClock.Instant?]>

    init(capacity: Int) {
        entries = Mutex(Array(repeating: nil, count: capacity))
    }

    func record(_ index: Int, at instant: ContinuousClock.Instant) {
        entries.withLock { entries in
            if entries.indices.contains(index) { entries[index] = instant }
        }
    }

    func times() -> [ContinuousClock.Instant?] { entries.withLock { $0 } }
}

import Synchronization

/// Idle connections of one transport. Concurrent requests each get their own connection; when
/// one finishes its connection goes back here for the next request to reuse.
final class CurlConnectionPool: Sendable {
    private let idle = Mutex<[CurlConnection]>([])
    private let capacity: Int

    init(capacity: Int = 4) {
        self.capacity = capacity
    }

    func checkOut() -> CurlConnection? {
        if let connection = idle.withLock({ $0.popLast() }) { return connection }
        return CurlConnection()
    }

    func checkIn(_ connection: CurlConnection) {
        idle.withLock { connections in
            if connections.count < capacity { connections.append(connection) }
        }
    }
}

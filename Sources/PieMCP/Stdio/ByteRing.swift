import Synchronization

/// The last `capacity` bytes of a stream (a server's stderr), for diagnostics: `pie mcp doctor`
/// and the error of a server that died show its tail. Older bytes are dropped, so a flood costs
/// no more memory than the ring.
final class ByteRing: Sendable {
    let capacity: Int
    private let state: Mutex<(bytes: [UInt8], total: Int, ended: Bool)>

    init(capacity: Int) {
        self.capacity = capacity
        state = Mutex(([], 0, false))
    }

    func append(_ chunk: UnsafeBufferPointer<UInt8>) {
        state.withLock { state in
            state.total += chunk.count
            if chunk.count >= capacity {
                state.bytes = Array(chunk[(chunk.count - capacity)...])
                return
            }
            state.bytes.append(contentsOf: chunk)
            // Trimmed in halves, so appending stays amortized O(1).
            if state.bytes.count > capacity * 2 { state.bytes.removeFirst(state.bytes.count - capacity) }
        }
    }

    /// Marks the stream as ended (the writer closed it).
    func end() { state.withLock { $0.ended = true } }

    var ended: Bool { state.withLock { $0.ended } }

    /// Every byte ever appended, kept or not.
    var totalBytes: Int { state.withLock { $0.total } }

    /// The last `limit` bytes (at most `capacity`) as text; invalid UTF-8 is replaced.
    func tail(_ limit: Int) -> String {
        state.withLock { state in
            let count = min(limit, capacity, state.bytes.count)
            return String(decoding: state.bytes[(state.bytes.count - count)...], as: UTF8.self)
        }
    }
}

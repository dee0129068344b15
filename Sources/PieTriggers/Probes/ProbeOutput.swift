import Synchronization

/// Keeps the last `cap` bytes of a command's output, however much it writes.
final class ProbeOutput: Sendable {
    private struct Tail {
        var bytes: [UInt8] = []
        var total = 0
    }

    private let cap: Int
    private let tail = Mutex(Tail())

    init(cap: Int) { self.cap = max(0, cap) }

    func append(_ chunk: [UInt8]) {
        tail.withLock { tail in
            tail.total += chunk.count
            tail.bytes += chunk.suffix(cap)
            if tail.bytes.count > cap { tail.bytes.removeFirst(tail.bytes.count - cap) }
        }
    }

    /// The kept bytes as text (a UTF-8 sequence cut at the front is replaced, not dropped) and
    /// whether anything was cut.
    func excerpt() -> (text: String, truncated: Bool) {
        tail.withLock { tail in (String(decoding: tail.bytes, as: UTF8.self), tail.total > tail.bytes.count) }
    }
}

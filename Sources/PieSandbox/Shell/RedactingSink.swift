import Synchronization
import PieSystem

/// Passes command output to the caller with secrets replaced, across chunk boundaries: the
/// supervisor thread feeds chunks, and `finish` flushes the tail held back as a possible secret
/// prefix once the command is done.
final class RedactingSink: Sendable {
    private let stream: Mutex<SecretRedactor.Stream>
    private let deliver: @Sendable ([UInt8]) -> Void

    init(_ redactor: SecretRedactor, deliver: @escaping @Sendable ([UInt8]) -> Void) {
        stream = Mutex(SecretRedactor.Stream(redactor))
        self.deliver = deliver
    }

    func feed(_ chunk: [UInt8]) {
        let safe = stream.withLock { $0.feed(chunk) }
        if !safe.isEmpty { deliver(safe) }
    }

    func finish() {
        let rest = stream.withLock { $0.finish() }
        if !rest.isEmpty { deliver(rest) }
    }
}

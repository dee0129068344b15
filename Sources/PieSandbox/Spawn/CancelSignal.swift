import Glibc
import Synchronization
import PieSystem

/// Wakes a supervisor thread blocked in `poll` from any thread (task cancellation handlers run
/// wherever the cancelling task happens to be). A pipe rather than a flag, so `poll` sees it.
final class CancelSignal: Sendable {
    private let descriptors: Mutex<(read: Int32, write: Int32)?>

    init?() {
        guard let pipe = Descriptor.pipe() else { return nil }
        descriptors = Mutex(pipe)
    }

    /// The descriptor the supervisor polls; valid until `close()`.
    var readDescriptor: Int32 {
        descriptors.withLock { $0?.read ?? -1 }
    }

    /// Requests cancellation; harmless after `close()` because the lock orders it against closing.
    func fire() {
        descriptors.withLock { pipe in
            if let pipe { _ = FileIO.writeAll(pipe.write, [1]) }
        }
    }

    func close() {
        descriptors.withLock { pipe in
            if let pipe {
                FileIO.close(pipe.read)
                FileIO.close(pipe.write)
            }
            pipe = nil
        }
    }
}

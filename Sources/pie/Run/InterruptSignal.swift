import Dispatch
import Glibc

/// Turns Ctrl+C (SIGINT) into a call instead of process death, so a running turn can be
/// cancelled cleanly and the session stays consistent.
///
/// `@unchecked Sendable`: the only stored property is set once in `init`, and dispatch sources
/// are thread-safe.
final class InterruptSignal: @unchecked Sendable {
    private let source: any DispatchSourceSignal

    /// `onInterrupt` runs on a dispatch queue for every SIGINT until `cancel()`.
    init(onInterrupt: @escaping @Sendable () -> Void) {
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler(handler: onInterrupt)
        source.resume()
    }

    func cancel() {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}

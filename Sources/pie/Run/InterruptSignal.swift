import Glibc
import PieSystem

/// Turns Ctrl+C (SIGINT) into a call instead of process death, so a running turn can be
/// cancelled cleanly and the session stays consistent (`SignalPipe`: the handler is in place
/// before `init` returns).
final class InterruptSignal: Sendable {
    private let pipe: SignalPipe?

    /// `onInterrupt` runs on a detached thread for every SIGINT until `cancel()`. Should the pipe
    /// not open (no descriptors left), SIGINT keeps its default action: Ctrl+C ends pie.
    init(onInterrupt: @escaping @Sendable () -> Void) {
        pipe = SignalPipe(signals: [SIGINT]) { _ in onInterrupt() }
    }

    /// Restores SIGINT's default action.
    func cancel() {
        pipe?.cancel()
    }
}

import Glibc
import PieSystem

/// SIGTERM and SIGINT become a call (stop taking work) instead of process death.
final class StopSignals: Sendable {
    private let pipe: SignalPipe?

    init(onStop: @escaping @Sendable () -> Void) {
        pipe = SignalPipe(signals: [SIGTERM, SIGINT]) { _ in onStop() }
    }

    func cancel() {
        pipe?.cancel()
    }
}

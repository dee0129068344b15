import Glibc
import Synchronization

/// A one-line "waiting for the model" indicator with elapsed time on stderr, for terminals only.
/// It is erased before anything else is written, so it never mixes into the answer.
final class Spinner: Sendable {
    private static let frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"]
    private let enabled: Bool
    /// The running ticker and when it started, nil while idle.
    private let state = Mutex<(ticker: Task<Void, Never>, started: UInt64)?>(nil)

    init(enabled: Bool) {
        self.enabled = enabled
    }

    func start(label: String) {
        guard enabled else { return }
        stop()
        let started = Self.now()
        let ticker = Task.detached { [weak self] in
            var frame = 0
            while !Task.isCancelled {
                let seconds = Double(Self.now() - started) / 1e9
                let text = "\r\(Self.frames[frame % Self.frames.count]) \(label) \(Int(seconds * 10) / 10).\(Int(seconds * 10) % 10)s"
                self?.draw(text)
                frame += 1
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
        state.withLock { $0 = (ticker, started) }
    }

    /// Erases the indicator (safe to call when idle).
    func stop() {
        guard let running = state.withLock({ current -> (ticker: Task<Void, Never>, started: UInt64)? in
            defer { current = nil }
            return current
        }) else { return }
        running.ticker.cancel()
        draw("\r\u{1B}[K")
    }

    private func draw(_ text: String) {
        _ = text.withCString { write(STDERR_FILENO, $0, strlen($0)) }
    }

    private static func now() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
    }
}

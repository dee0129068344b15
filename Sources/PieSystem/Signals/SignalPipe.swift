import CPieSys
import Glibc

/// Signals turned into calls: a plain `sigaction` handler (CPieSys) writes the signal's number to
/// a pipe, and a detached thread reads it and calls `onSignal`. The handler is in place before
/// `init` returns and works whichever thread the kernel delivers to. A libdispatch signal source
/// was used before: it registers asynchronously after the signal was set to SIG_IGN, so a signal
/// in that window (seen under load) was dropped.
public final class SignalPipe: Sendable {
    private let writeEnd: Int32
    private let signals: [Int32]

    /// Nil when the pipe or the thread could not be made (no descriptors left); the signals then
    /// keep their default actions.
    public init?(signals: [Int32], onSignal: @escaping @Sendable (Int32) -> Void) {
        var ends: [Int32] = [-1, -1]
        guard cpie_pipe2(&ends, O_CLOEXEC) == 0 else { return nil }
        let (readEnd, writeEnd) = (ends[0], ends[1])
        _ = fcntl(writeEnd, F_SETFL, fcntl(writeEnd, F_GETFL) | O_NONBLOCK)
        let reader: @Sendable () -> Void = {
            var byte: UInt8 = 0
            while true {
                let count = read(readEnd, &byte, 1)
                if count == 1 {
                    onSignal(Int32(byte))
                } else if count < 0 && errno == EINTR {
                    continue
                } else {
                    break
                }
            }
            close(readEnd)
        }
        guard DetachedThread.start(reader) else {
            close(readEnd)
            close(writeEnd)
            return nil
        }
        for signal in signals where cpie_signal_forward(signal, writeEnd) != 0 {
            signals.forEach(cpie_signal_default)
            close(writeEnd)
            return nil
        }
        (self.writeEnd, self.signals) = (writeEnd, signals)
    }

    /// Restores the signals' default actions; the reader thread ends when the pipe closes.
    public func cancel() {
        signals.forEach(cpie_signal_default)
        close(writeEnd)
    }
}

import CPieSys
import Glibc
import PieSystem

/// Turns Ctrl+C (SIGINT) into a call instead of process death, so a running turn can be
/// cancelled cleanly and the session stays consistent.
///
/// The handler is a plain `sigaction` handler (CPieSys) that writes a byte to a pipe, in place
/// before `init` returns; a detached thread reads the pipe and calls `onInterrupt`. A libdispatch
/// signal source was used before: it registers asynchronously, after SIGINT had been set to
/// SIG_IGN, so a Ctrl+C in that window (seen under load) was dropped and the turn ran on.
final class InterruptSignal: Sendable {
    private let writeEnd: Int32

    /// `onInterrupt` runs on a detached thread for every SIGINT until `cancel()`. Should the pipe
    /// not open (no descriptors left), SIGINT keeps its default action: Ctrl+C ends pie.
    init(onInterrupt: @escaping @Sendable () -> Void) {
        writeEnd = Self.install(onInterrupt)
    }

    /// The pipe's write end with the handler installed, or -1 when it could not be set up.
    private static func install(_ onInterrupt: @escaping @Sendable () -> Void) -> Int32 {
        var ends: [Int32] = [-1, -1]
        guard cpie_pipe2(&ends, O_CLOEXEC) == 0 else { return -1 }
        let (readEnd, writeEnd) = (ends[0], ends[1])
        _ = fcntl(writeEnd, F_SETFL, fcntl(writeEnd, F_GETFL) | O_NONBLOCK)
        let reader: @Sendable () -> Void = {
            var byte: UInt8 = 0
            while true {
                let count = read(readEnd, &byte, 1)
                if count == 1 {
                    onInterrupt()
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
            return -1
        }
        guard cpie_interrupt_install(writeEnd) == 0 else {
            close(writeEnd)
            return -1
        }
        return writeEnd
    }

    /// Restores SIGINT's default action; the reader thread ends when the pipe closes.
    func cancel() {
        guard writeEnd >= 0 else { return }
        cpie_interrupt_restore()
        close(writeEnd)
    }
}

import CPieSys
import Glibc
import PieSystem
import Synchronization

/// Waits at the prompt, while the session has jobs that can fire, for whichever comes first: the
/// user's first key or a fired job. libedit's `readline` cannot be interrupted once it reads, so
/// it starts only when the user begins typing: a job that fires meanwhile gets the turn at once,
/// and one that fires while the user types waits until the line is entered (the user is busy).
///
/// While waiting, the terminal reads key by key without echo (so the first key wakes the wait and
/// `readline` echoes it); the previous mode is restored before anything else reads or prints.
final class PromptWait: Sendable {
    enum Outcome {
        case input, job
    }

    /// A pipe whose write end `wake()` writes one byte to: the poll's other descriptor.
    private let pipe: (read: Int32, write: Int32)?
    /// The terminal mode to restore, while a wait has changed it (also for Ctrl+C's exit).
    private let saved = Mutex<termios?>(nil)
    private let waiting = Mutex(false)

    /// Whether the prompt is empty and waiting now (a queued job then starts at once).
    var isWaiting: Bool { waiting.withLock { $0 } }

    init() {
        var fds: [Int32] = [-1, -1]
        pipe = cpie_pipe2(&fds, O_CLOEXEC | O_NONBLOCK) == 0 ? (fds[0], fds[1]) : nil
    }

    deinit {
        if let pipe {
            close(pipe.read)
            close(pipe.write)
        }
    }

    /// Whether waiting can work; without a pipe (no descriptors left) the prompt reads as before.
    var isAvailable: Bool { pipe != nil }

    /// Ends a wait in progress (or the next one): a job was queued. Safe from any thread.
    func wake() {
        guard let pipe else { return }
        var byte: UInt8 = 1
        _ = write(pipe.write, &byte, 1)
    }

    /// Forgets wakes from jobs queued while no wait ran; called before the queue is looked at,
    /// so a job queued after that look still ends the next wait.
    func clear() {
        guard let pipe else { return }
        var drain = [UInt8](repeating: 0, count: 64)
        while read(pipe.read, &drain, drain.count) > 0 {}
    }

    /// Shows `prompt` and waits. On `.input` the prompt line is left for `readline` to redraw; on
    /// `.job` a new line is started.
    func wait(prompt: String) async -> Outcome {
        guard let pipe else { return .input }
        writeAll(STDOUT_FILENO, prompt)
        enterKeyMode()
        waiting.withLock { $0 = true }
        let outcome = await withCheckedContinuation { (continuation: CheckedContinuation<Outcome, Never>) in
            let started = DetachedThread.start {
                var fds = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0), pollfd(fd: pipe.read, events: Int16(POLLIN), revents: 0)]
                while poll(&fds, 2, -1) < 0, errno == EINTR {}
                if fds[1].revents & Int16(POLLIN) != 0 {
                    var drain = [UInt8](repeating: 0, count: 64)
                    while read(pipe.read, &drain, drain.count) > 0 {}
                    continuation.resume(returning: .job)
                } else {
                    continuation.resume(returning: .input)
                }
            }
            if !started { continuation.resume(returning: .input) }
        }
        waiting.withLock { $0 = false }
        restore()
        writeAll(STDOUT_FILENO, outcome == .input ? "\r" : "\n")
        return outcome
    }

    /// Puts the terminal back as it was before a wait; for leaving pie during one (Ctrl+C twice).
    func restore() {
        saved.withLock { saved in
            guard var mode = saved else { return }
            tcsetattr(STDIN_FILENO, TCSANOW, &mode)
            saved = nil
        }
    }

    private func enterKeyMode() {
        guard isatty(STDIN_FILENO) == 1 else { return }
        var mode = termios()
        guard tcgetattr(STDIN_FILENO, &mode) == 0 else { return }
        saved.withLock { $0 = mode }
        var keys = mode
        keys.c_lflag &= ~tcflag_t(ICANON | ECHO)
        withUnsafeMutableBytes(of: &keys.c_cc) { cc in
            cc[Int(VMIN)] = 1
            cc[Int(VTIME)] = 0
        }
        tcsetattr(STDIN_FILENO, TCSANOW, &keys)
    }
}

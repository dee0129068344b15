import CPieSys
import Glibc
import PieSystem
import Synchronization

/// One inotify descriptor and one thread for every file trigger. The thread blocks in `poll(2)`
/// on the descriptor and on a wake-up pipe, with no timeout: it runs when the kernel reports an
/// event or when `update`/`stop` hand it work, never on a timer.
final class FileWatcher: Sendable {
    private struct Mailbox {
        var targets: Set<FileTarget>?
        /// Callers of `update` waiting until the thread has applied their targets.
        var applied: [CheckedContinuation<Void, Never>] = []
        var stopping = false
        /// Set by the thread when it has closed the descriptors: nobody may write to them then.
        var closed = false
    }

    private let inotify: Int32
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let clock: any TriggerClock
    private let sink: any TriggerSink
    private let mailbox = Mutex(Mailbox())
    private let finished: AsyncStream<Void>
    private let finish: AsyncStream<Void>.Continuation

    /// Opens the descriptors; `start` runs the thread.
    init(clock: any TriggerClock, sink: any TriggerSink) throws(TriggerError) {
        let inotify = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard inotify >= 0 else {
            let reason = String(cString: strerror(errno))
            throw TriggerError(
                "file triggers cannot start: inotify_init1 failed (\(reason)); file triggers need Linux inotify "
                    + "(raise fs.inotify.max_user_instances if the limit was reached)")
        }
        var pipe: [Int32] = [-1, -1]
        guard cpie_pipe2(&pipe, O_CLOEXEC | O_NONBLOCK) == 0 else {
            let reason = String(cString: strerror(errno))
            close(inotify)
            throw TriggerError("file triggers cannot start: pipe2 failed (\(reason)); raise the open-file limit")
        }
        (self.inotify, wakeRead, wakeWrite) = (inotify, pipe[0], pipe[1])
        (self.clock, self.sink) = (clock, sink)
        (finished, finish) = AsyncStream.makeStream(of: Void.self)
    }

    /// Starts the thread; on failure the descriptors are closed and the error says so.
    func start() throws(TriggerError) {
        guard DetachedThread.start({ [self] in self.run() }) else {
            closeDescriptors()
            throw TriggerError("file triggers cannot start: no thread could be created; raise the process limit")
        }
    }

    /// The thread watches exactly `targets` from now on; returns when the watches are in place
    /// and the baselines taken, so a change made after it returns is seen as a change.
    func update(_ targets: Set<FileTarget>) async {
        await withCheckedContinuation { continuation in
            let closed = mailbox.withLock { mailbox in
                mailbox.targets = targets
                if !mailbox.closed { mailbox.applied.append(continuation) }
                return mailbox.closed
            }
            if closed { continuation.resume() } else { wake() }
        }
    }

    /// Stops the thread and returns when it has removed its watches and closed its descriptors.
    func stop() async {
        let running = mailbox.withLock { mailbox in
            mailbox.stopping = true
            return !mailbox.closed
        }
        guard running else { return }
        wake()
        for await _ in finished {}
    }

    private func wake() {
        mailbox.withLock { mailbox in
            guard !mailbox.closed else { return }
            var byte: UInt8 = 1
            // A full pipe already holds a wake-up; the thread reads the mailbox whole.
            _ = write(wakeWrite, &byte, 1)
        }
    }

    private func run() {
        var table = WatchTable(inotify: inotify, clock: clock, sink: sink)
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        loop: while true {
            var descriptors = [pollfd(fd: inotify, events: Int16(POLLIN), revents: 0), pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
            guard poll(&descriptors, 2, -1) >= 0 else {
                if errno == EINTR { continue }
                stopped("poll failed: \(String(cString: strerror(errno)))")
                break
            }
            if descriptors[1].revents != 0 {
                while read(wakeRead, &buffer, buffer.count) > 0 {}
                let (targets, applied, stopping) = mailbox.withLock { mailbox in
                    defer { (mailbox.targets, mailbox.applied) = (nil, []) }
                    return (mailbox.targets, mailbox.applied, mailbox.stopping)
                }
                if stopping {
                    applied.forEach { $0.resume() }
                    break loop
                }
                if let targets { table.replace(targets) }
                applied.forEach { $0.resume() }
            }
            if descriptors[0].revents != 0 {
                while true {
                    let count = buffer.withUnsafeMutableBytes { read(inotify, $0.baseAddress, $0.count) }
                    if count > 0 {
                        table.handle(InotifyEvent.parse(buffer[0..<count]))
                        continue
                    }
                    if count < 0, errno == EINTR { continue }
                    if count < 0, errno == EAGAIN { break }
                    stopped(count == 0 ? "the inotify descriptor reached its end" : "reading inotify failed: \(String(cString: strerror(errno)))")
                    break loop
                }
            }
        }
        table.removeAll()
        closeDescriptors()
        finish.finish()
    }

    private func stopped(_ reason: String) {
        sink.report(TriggerNotice(automation: nil, kind: .watcherStopped(reason: reason), instant: clock.now()))
    }

    private func closeDescriptors() {
        let waiting = mailbox.withLock { mailbox in
            defer { mailbox.applied = [] }
            guard !mailbox.closed else { return mailbox.applied }
            mailbox.closed = true
            close(inotify)
            close(wakeRead)
            close(wakeWrite)
            return mailbox.applied
        }
        waiting.forEach { $0.resume() }
    }
}

import Glibc
import PieSystem

/// Watches one child on a dedicated thread: streams its output, enforces the deadline and the
/// output limit, reacts to cancellation, and reaps it. Blocking calls (`poll`, `waitpid`) stay off
/// Swift's cooperative pool.
///
/// When the leader exits, the rest of its process group is killed too: a command's background jobs
/// do not outlive the tool call. Output is then drained until every writer is gone, or for at most
/// `drainGraceMs` (a process that left the group with `setsid` may still hold the pipe on the host).
struct ProcessSupervisor: Sendable {
    var timeoutMs: Int
    var outputLimitBytes: Int
    var drainGraceMs: Int64 = 300

    /// Supervises `child` to the end, closing its descriptors. Cancelling the calling task kills the tree.
    func run(_ child: ChildProcess, onOutput: @escaping @Sendable ([UInt8]) -> Void) async -> Termination {
        let cancel = CancelSignal()
        defer { cancel?.close() }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Termination, Never>) in
                let cancelFD = cancel?.readDescriptor ?? -1
                let started = DetachedThread.start {
                    continuation.resume(returning: supervise(child, cancelFD: cancelFD, onOutput: onOutput))
                }
                // Without a thread of its own the child is still supervised, blocking this pool thread.
                if !started { continuation.resume(returning: supervise(child, cancelFD: cancelFD, onOutput: onOutput)) }
            }
        } onCancel: {
            cancel?.fire()
        }
    }

    /// The blocking loop; `cancelFD` (or -1) becomes readable when the caller cancels.
    func supervise(
        _ child: ChildProcess, cancelFD: Int32, onOutput: @escaping @Sendable ([UInt8]) -> Void
    ) -> Termination {
        defer {
            child.close()
            child.cgroup?.remove()
        }
        var termination = Termination(
            exitCode: nil, signal: nil, timedOut: false, cancelled: false, outputLimitHit: false, outputBytes: 0)
        let deadline = Descriptor.monotonicMilliseconds() + Int64(max(timeoutMs, 0))
        var killed = false
        var exitedAt: Int64?
        var outputOpen = true
        var buffer = [UInt8](repeating: 0, count: 65536)

        func terminate() {
            if !killed, exitedAt == nil { child.killGroup() }
            killed = true
        }

        while outputOpen || exitedAt == nil {
            let now = Descriptor.monotonicMilliseconds()
            if exitedAt == nil, !killed, now >= deadline {
                termination.timedOut = true
                terminate()
            }
            if let exitedAt, now - exitedAt >= drainGraceMs { break }

            var waitMs: Int64 = exitedAt.map { drainGraceMs - (now - $0) } ?? (killed ? 50 : deadline - now)
            if child.exitDescriptor == nil, exitedAt == nil { waitMs = min(waitMs, 20) }
            var fds = [
                pollfd(fd: outputOpen ? child.output : -1, events: Int16(POLLIN), revents: 0),
                pollfd(fd: exitedAt == nil ? (child.exitDescriptor ?? -1) : -1, events: Int16(POLLIN), revents: 0),
                pollfd(fd: cancelFD, events: Int16(POLLIN), revents: 0),
            ]
            let ready = poll(&fds, nfds_t(fds.count), Int32(clamping: max(waitMs, 0)))
            if ready < 0, errno != EINTR { break }

            if fds[2].revents != 0, !termination.cancelled, exitedAt == nil {
                termination.cancelled = true
                terminate()
            }
            if fds[0].revents != 0 {
                let count = read(child.output, &buffer, buffer.count)
                if count > 0 {
                    let allowed = min(count, max(outputLimitBytes - termination.outputBytes, 0))
                    termination.outputBytes += count
                    if allowed > 0 { onOutput(Array(buffer[0..<allowed])) }
                    if allowed < count {
                        termination.outputLimitHit = true
                        terminate()
                    }
                } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
                    outputOpen = false
                }
            }
            if exitedAt == nil, child.exitDescriptor == nil || fds[1].revents != 0 {
                if let status = child.reap() {
                    (termination.exitCode, termination.signal) = Termination.decode(status)
                    exitedAt = Descriptor.monotonicMilliseconds()
                }
            }
        }
        if exitedAt == nil {
            terminate()
            if let status = child.reap(blocking: true) {
                (termination.exitCode, termination.signal) = Termination.decode(status)
            }
        }
        return termination
    }
}

import CPieSys
import Glibc
import PieSystem

/// A started command: how to watch and end it, the read end of its combined output pipe, and its
/// pids cgroup if it has one. `ProcessSupervisor` owns and closes the descriptors and removes the
/// cgroup.
struct ChildProcess: Sendable {
    enum Process: Sendable {
        /// pie's own child (the command itself, or bubblewrap around it): its pid is also its
        /// process-group id; a pidfd when the kernel has one.
        case local(pid: pid_t, pidfd: Int32?)
        /// A command that `pie-sandbox-init` started inside a warm sandbox. It is PID 1 of its own
        /// PID namespace (so its exit takes every process it started along); `replies` is the
        /// request's reply socket, which carries its wait status and, when shut down, asks the init
        /// to kill it.
        case warm(replies: Int32, sandboxPid: Int32)
    }

    let process: Process
    let output: Int32

    /// Whether a warm sandbox's init started it.
    var isWarm: Bool {
        if case .warm = process { return true }
        return false
    }
    let cgroup: PidsCgroup?
    /// Runs once the descriptors are closed (a warm sandbox counts its running commands).
    var onClose: (@Sendable () -> Void)? = nil

    /// A short name for the supervisor thread.
    var label: String {
        switch process {
        case .local(let pid, _): "\(pid)"
        case .warm(_, let sandboxPid): "warm-\(sandboxPid)"
        }
    }

    /// Readable when the command has exited (or, for a warm command, when its status arrived);
    /// nil when only polling can tell.
    var exitDescriptor: Int32? {
        switch process {
        case .local(_, let pidfd): pidfd
        case .warm(let replies, _): replies
        }
    }

    /// SIGKILL to the whole tree: the process group (or, for a warm command, its PID namespace)
    /// and every member of the cgroup (which also reaches processes that called `setsid`). A local
    /// child is only signalled while its leader is unreaped (alive or a zombie), so the group id
    /// cannot have been recycled for an unrelated process.
    func killGroup() {
        switch process {
        case .local(let pid, _): killpg(pid, SIGKILL)
        case .warm(let replies, _): shutdown(replies, Int32(SHUT_WR))
        }
        cgroup?.killAll()
    }

    /// The wait status once the command has exited, or nil while it runs (with `blocking`, waits).
    /// A local leader's leftover group is killed while it is still a zombie, then it is reaped.
    func reap(blocking: Bool = false) -> Int32? {
        switch process {
        case .local(let pid, _):
            guard cpie_peek_exited(pid, blocking ? 1 : 0) == 1 else { return nil }
            killGroup()
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 {
                if errno != EINTR { return nil }
            }
            return status
        case .warm(let replies, _):
            return WarmReply.exitStatus(from: replies, blocking: blocking)
        }
    }

    /// Closes the descriptors this value owns.
    func close() {
        FileIO.close(output)
        if let exitDescriptor { FileIO.close(exitDescriptor) }
        onClose?()
    }
}

/// How a supervised child ended.
struct Termination: Sendable, Equatable {
    var exitCode: Int32?
    var signal: Int32?
    var timedOut: Bool
    var cancelled: Bool
    /// True when the child was killed for writing more than the output limit.
    var outputLimitHit: Bool
    var outputBytes: Int

    /// Decodes a `waitpid` status word (the WIFEXITED/WTERMSIG macros are not imported into Swift).
    static func decode(_ status: Int32) -> (exitCode: Int32?, signal: Int32?) {
        let low = status & 0x7f
        if low == 0 { return ((status >> 8) & 0xff, nil) }
        return (nil, low)
    }
}

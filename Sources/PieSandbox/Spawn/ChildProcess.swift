import Glibc

/// A started child: its pid (also its process-group id), a pidfd when the kernel has one, the
/// read end of its combined output pipe, and its pids cgroup if it has one. `ProcessSupervisor`
/// owns and closes both descriptors and removes the cgroup.
struct ChildProcess: Sendable {
    let pid: pid_t
    let pidfd: Int32?
    let output: Int32
    let cgroup: PidsCgroup?

    /// SIGKILL to the whole process group, and to every member of the cgroup (which also reaches
    /// processes that called `setsid`). Only called while the leader is unreaped (alive or a
    /// zombie), so the group id cannot have been recycled for an unrelated process.
    func killGroup() {
        killpg(pid, SIGKILL)
        cgroup?.killAll()
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

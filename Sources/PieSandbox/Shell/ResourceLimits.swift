/// Kernel resource limits for one sandboxed command, so a fork bomb, a memory blow-up, a disk fill
/// or a busy loop hits a wall inside the command instead of hurting the host.
///
/// `ProcessSpawner` lowers them in the child between `vfork` and `execve`, so they are inherited by
/// bwrap and everything the command starts. Values above the caller's own hard limit are clamped to
/// it (lowering needs no privilege).
public struct ResourceLimits: Sendable, Equatable {
    /// How many processes (tasks) the command may add. Enforced by a per-command pids cgroup
    /// where pie can create one; otherwise by RLIMIT_NPROC set to the user's current task count
    /// plus this allowance (the kernel counts all of the user's tasks, and exempts root).
    public var processes: UInt64
    /// RLIMIT_AS in bytes.
    public var addressSpaceBytes: UInt64
    /// RLIMIT_FSIZE in bytes: the largest file the command may write.
    public var fileSizeBytes: UInt64
    /// RLIMIT_CPU in seconds, per process.
    public var cpuSeconds: UInt64
    /// RLIMIT_NOFILE.
    public var openFiles: UInt64
    /// Size of the private `/tmp` tmpfs inside bubblewrap (`--size`).
    public var tmpfsBytes: UInt64

    public init(
        processes: UInt64, addressSpaceBytes: UInt64, fileSizeBytes: UInt64, cpuSeconds: UInt64,
        openFiles: UInt64, tmpfsBytes: UInt64
    ) {
        self.processes = processes
        self.addressSpaceBytes = addressSpaceBytes
        self.fileSizeBytes = fileSizeBytes
        self.cpuSeconds = cpuSeconds
        self.openFiles = openFiles
        self.tmpfsBytes = tmpfsBytes
    }

    /// Generous defaults for real builds (compilers and language servers reserve much address
    /// space), still far below what takes a workstation down. CPU follows the wall-clock timeout.
    public static func standard(timeoutMs: Int) -> ResourceLimits {
        ResourceLimits(
            processes: 1024, addressSpaceBytes: 16 << 30, fileSizeBytes: 4 << 30,
            cpuSeconds: cpuSeconds(forTimeoutMs: timeoutMs), openFiles: 4096, tmpfsBytes: 1 << 30)
    }

    /// CPU seconds that a command with this wall-clock timeout can use on one core, plus slack.
    static func cpuSeconds(forTimeoutMs timeoutMs: Int) -> UInt64 {
        UInt64(max(timeoutMs, 0) / 1000) + 2
    }
}

/// Everything needed to start one child process. A plain value, so the shell can assemble it
/// without side effects and tests can inspect it.
struct SpawnRequest: Sendable, Equatable {
    /// Absolute path of the program; no `PATH` search happens here.
    var executable: String
    /// The full argv, `arguments[0]` included.
    var arguments: [String]
    /// The complete environment of the child; nothing is inherited from pie's own environment.
    var environment: [String: String]
    /// Where the child starts; nil keeps pie's working directory.
    var workingDirectory: String?
    /// Descriptors handed to the child as fd 3, 4, … in this order (e.g. the seccomp program that
    /// `bwrap --seccomp 3` reads). The caller keeps ownership of its copies.
    var inheritedDescriptors: [Int32]
    /// Limits applied to the child before it runs any code of its own; nil applies none.
    var limits: ResourceLimits?
    /// A pids cgroup the child joins before it runs any code of its own; nil for none.
    var cgroup: PidsCgroup? = nil
    /// Joins `cgroup` through `PidsCgroup.openSelfJoin` (v1: `tasks`) rather than `cgroup.procs`:
    /// the same membership without the kernel's global lock (MCP servers and bash commands spawned cold).
    var cgroupSelfJoin = false
    /// The child's stdin and stderr, for a long-lived child that speaks over its standard streams
    /// (an MCP server); nil reads `/dev/null` and sends stderr into the output pipe. The caller
    /// keeps ownership of its copies.
    var standardInput: Int32? = nil
    var standardError: Int32? = nil
}

/// Why a child could not be started.
struct SpawnError: Error, Sendable, Equatable, CustomStringConvertible {
    var message: String
    var errno: Int32

    var description: String { message }
}

import PiePolicy

/// A long-lived child that talks over its standard streams (an MCP stdio server), started in the
/// sandbox its own policy describes. A plain value: the caller resolves the command line and the
/// environment; nothing here reads pie's own environment.
public struct SandboxedProcessRequest: Sendable, Equatable {
    /// The argv; `command[0]` is absolute or looked up on the request's `PATH`.
    public var command: [String]
    /// Exactly the environment the child sees (bubblewrap adds `TMPDIR=/tmp`, its private tmpfs).
    public var environment: [String: String]
    /// Where the child starts; it must be visible in the sandbox (a read or write root, or `/tmp`).
    public var workingDirectory: String
    /// The child's own policy. Its paths, network switch and sandbox mode are used, with reads
    /// always by allowlist (`$HOME` empty): a server never sees the host's files by default.
    public var policy: ToolPolicy
    public var limits: ResourceLimits

    public init(
        command: [String], environment: [String: String], workingDirectory: String, policy: ToolPolicy,
        limits: ResourceLimits
    ) {
        self.command = command
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.policy = policy
        self.limits = limits
    }

    /// Limits for a server that lives as long as the session: the CPU limit is per process and
    /// cumulative, so it is generous (an hour), and address space is a few GiB.
    public static let serverLimits = ResourceLimits(
        processes: 256, addressSpaceBytes: 8 << 30, fileSizeBytes: 1 << 30, cpuSeconds: 3600, openFiles: 1024,
        tmpfsBytes: 256 << 20)
}

/// How a sandboxed child ended, as `waitpid` reported it.
public struct SandboxedProcessExit: Sendable, Equatable, CustomStringConvertible {
    public var exitCode: Int32?
    public var signal: Int32?

    public init(exitCode: Int32?, signal: Int32?) {
        self.exitCode = exitCode
        self.signal = signal
    }

    public var description: String {
        if let signal { return "killed by signal \(signal)" }
        return "exited with status \(exitCode ?? -1)"
    }
}

/// Runs shell commands for the `bash` tool, contained as the policy says.
///
/// Injected into the tool so tests and other hosts can swap the backend; the production
/// implementation is `SandboxedShell` (bubblewrap + seccomp + limits).
public protocol ShellOperations: Sendable {
    /// Runs `request`, delivering interleaved stdout+stderr bytes to `onOutput` as they arrive.
    /// Returns when the process tree is gone. Cancellation of the calling task kills the tree.
    func run(
        _ request: ShellRequest, onOutput: @escaping @Sendable ([UInt8]) -> Void
    ) async throws(ShellError) -> ShellOutcome
}

public struct ShellRequest: Sendable, Equatable {
    public var command: String
    /// Absolute, policy-approved working directory.
    public var cwd: String
    public var timeoutMs: Int

    public init(command: String, cwd: String, timeoutMs: Int) {
        self.command = command
        self.cwd = cwd
        self.timeoutMs = timeoutMs
    }
}

/// How a command was actually contained, as recorded in the audit log.
public enum SandboxUsed: String, Sendable, Equatable, Codable {
    case host, bwrap, launcher
}

public struct ShellOutcome: Sendable, Equatable {
    /// The exit status, or nil when the process was killed by a signal.
    public var exitCode: Int32?
    public var signal: Int32?
    public var timedOut: Bool
    public var cancelled: Bool
    public var sandbox: SandboxUsed
    /// With `.bwrap`: the command was started by a warm sandbox's init (docs/sandbox.md) rather
    /// than in a bubblewrap of its own. The containment is the same; tests check which path ran.
    public var servedWarm: Bool
    /// Visible warnings, e.g. `auto` mode falling back to the host.
    public var warnings: [String]
    /// What the command planted that the host would read as configuration, and where pie moved
    /// it (`ConfigurationSweep`); each also has a sentence in `warnings`.
    public var quarantined: [QuarantinedEntry] = []

    public init(
        exitCode: Int32?, signal: Int32?, timedOut: Bool, cancelled: Bool, sandbox: SandboxUsed,
        servedWarm: Bool = false, warnings: [String]
    ) {
        self.exitCode = exitCode
        self.signal = signal
        self.timedOut = timedOut
        self.cancelled = cancelled
        self.sandbox = sandbox
        self.servedWarm = servedWarm
        self.warnings = warnings
    }
}

/// A command that could not be started, with what to do about it.
public struct ShellError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        case sandboxUnavailable, spawnFailed, invalidRequest
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}

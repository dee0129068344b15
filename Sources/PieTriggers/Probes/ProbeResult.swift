import PieSandbox

/// What one probe run returned. The output is the command's combined stdout and stderr, secrets
/// redacted by the shell, cut to its last `SandboxProbeRunner.defaultOutputCap` bytes: data for the run's
/// prompt, never instructions.
public struct ProbeResult: Sendable, Equatable {
    /// The exit status; nil when a signal or the timeout ended the command.
    public var exitStatus: Int32?
    public var signal: Int32?
    public var timedOut: Bool
    /// The time limit it ran under.
    public var timeoutMilliseconds: Int
    /// The end of the output (UTF-8, invalid bytes replaced).
    public var output: String
    /// Whether more output was written than `output` holds.
    public var outputTruncated: Bool
    /// How the command was contained.
    public var sandbox: SandboxUsed
    /// What the operator should know about this run (output over the shell's limit, an audit
    /// record that could not be written).
    public var warnings: [String] = []

    public init(
        exitStatus: Int32?, signal: Int32? = nil, timedOut: Bool = false, timeoutMilliseconds: Int, output: String = "",
        outputTruncated: Bool = false, sandbox: SandboxUsed
    ) {
        (self.exitStatus, self.signal, self.timedOut, self.timeoutMilliseconds) = (exitStatus, signal, timedOut, timeoutMilliseconds)
        (self.output, self.outputTruncated, self.sandbox) = (output, outputTruncated, sandbox)
    }

    /// Exit status 0 within the time. A timeout or a signal is a failure: the condition was not
    /// shown to hold.
    public var succeeded: Bool { exitStatus == 0 && !timedOut }
}

/// What running a probe came to: a result, a policy denial, or a reason it could not run.
public enum ProbeOutcome: Sendable, Equatable {
    case ran(ProbeResult)
    case denied(rule: String, reason: String)
    case notRun(reason: String)
}

import PiePolicy
import PieSandbox

/// Everything a tool call may use, injected so hosts and tests choose the backends.
///
/// Cancellation is the calling task's: tools check `Task.isCancelled` (pi's abort signal) and the
/// shell backend kills the process tree when the task is cancelled.
public struct ToolContext: Sendable {
    /// The id of the call being run (pi hands it to `execute`); empty outside a call.
    public var callID: String = ""
    /// Absolute working directory relative paths resolve against.
    public var cwd: String
    public var files: any FileOperations
    public var shell: any ShellOperations
    public var policy: ToolPolicy
    /// Directory for `pi-bash-<hex>.log` files holding the full output of truncated commands.
    public var spillDirectory: String
    /// Streaming partial results (bash output) for the UI; never sent to the model.
    public var onUpdate: @Sendable (ToolResult) -> Void

    public init(
        cwd: String, files: any FileOperations, shell: any ShellOperations, policy: ToolPolicy,
        spillDirectory: String, onUpdate: @escaping @Sendable (ToolResult) -> Void = { _ in }
    ) {
        self.cwd = cwd
        self.files = files
        self.shell = shell
        self.policy = policy
        self.spillDirectory = spillDirectory
        self.onUpdate = onUpdate
    }

    /// pi's output cap (50 KB) or the policy's, whichever is smaller.
    public var maxOutputBytes: Int { min(Truncation.defaultMaxBytes, policy.maxToolOutputBytes) }

    /// Resolves a path argument the way pi does (see `ToolPath`).
    public func resolve(_ path: String) -> String {
        ToolPath.resolve(path, cwd: cwd, home: policy.paths.home)
    }

    /// Throws pi's abort error when the call's task was cancelled.
    public func checkCancelled() throws(ToolFailure) {
        if Task.isCancelled { throw ToolFailure.aborted }
    }
}

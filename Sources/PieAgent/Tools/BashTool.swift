import PiePolicy
import PieSandbox
import PieJSON

/// pi's `bash`: runs a command through the injected `ShellOperations`, stdout and stderr
/// interleaved, the tail kept (2,000 lines or 50 KB, or the policy's smaller cap) and the full
/// output spilled to a file named in the notice.
public struct BashTool: AgentTool {
    public init() {}

    public let name = "bash"
    public let description =
        "Execute a bash command in the current working directory. Returns stdout and stderr. Output is truncated "
        + "to last \(Truncation.defaultMaxLines) lines or \(Truncation.defaultMaxBytes / 1024)KB (whichever is hit "
        + "first). If truncated, full output is saved to a temp file. Optionally provide a timeout in seconds."
    public let runsAlone = true

    public let schema = ToolSchema([
        .init("command", .string, "Bash command to execute", required: true),
        .init("timeout", .number(exclusiveMinimum: 0), "Timeout in seconds (optional, no default timeout)"),
    ])

    public func policyRequest(_ arguments: ValidatedArguments, context: ToolContext) -> ToolRequest {
        .bash(command: arguments.string("command") ?? "", cwd: nil)
    }

    public func execute(_ arguments: ValidatedArguments, context: ToolContext) async throws(ToolFailure) -> ToolResult {
        let command = arguments.string("command") ?? ""
        if context.policy.bashDryRun {
            return .text(
                "Dry run: the policy allowed this command, but bash_dry_run is on, so it was not executed.\n$ \(command)",
                details: .bash(BashDetails(dryRun: true)))
        }
        if Task.isCancelled { throw ToolFailure("Command aborted") }
        let timeoutMs = Self.timeoutMs(requestedSeconds: arguments.number("timeout"), policyMs: context.policy.bashTimeoutMs)
        let output = BashOutput(maxBytes: context.maxOutputBytes, spillDirectory: context.spillDirectory)
        let onUpdate = context.onUpdate
        let outcome: ShellOutcome
        do {
            outcome = try await context.shell.run(
                ShellRequest(command: command, cwd: context.cwd, timeoutMs: timeoutMs)
            ) { chunk in
                if output.append(chunk) {
                    let snapshot = output.snapshot()
                    onUpdate(.text(snapshot.text(emptyText: ""), details: .bash(snapshot.details)))
                }
            }
        } catch {
            throw ToolFailure(error.message)
        }
        let snapshot = output.snapshot()
        if !snapshot.isEmpty { onUpdate(.text(snapshot.text(emptyText: ""), details: .bash(snapshot.details))) }
        var bash = snapshot.details
        bash.outcome = outcome
        let details = ToolDetails.bash(bash)
        if outcome.cancelled {
            throw ToolFailure(Self.withStatus(snapshot.text(emptyText: ""), "Command aborted"), details: details)
        }
        if outcome.timedOut {
            let seconds = JSONWriter.number(Double(timeoutMs) / 1000)
            throw ToolFailure(
                Self.withStatus(snapshot.text(emptyText: ""), "Command timed out after \(seconds) seconds"),
                details: details)
        }
        if let code = outcome.exitCode, code != 0 {
            throw ToolFailure(
                Self.withStatus(snapshot.text(emptyText: "(no output)"), "Command exited with code \(code)"),
                details: details)
        }
        return .text(snapshot.text(emptyText: "(no output)"), details: details)
    }

    /// The model's timeout (seconds) capped by the policy's; without one, the policy's applies.
    static func timeoutMs(requestedSeconds: Double?, policyMs: Int) -> Int {
        guard let requestedSeconds else { return policyMs }
        let requested = requestedSeconds * 1000
        return requested >= Double(policyMs) ? policyMs : max(1, Int(requested.rounded(.up)))
    }

    /// pi's `output\n\nstatus`, or the bare status when there was no output.
    private static func withStatus(_ text: String, _ status: String) -> String {
        text.isEmpty ? status : text + "\n\n" + status
    }
}

import PieAgent
import PieLocal
import PiePolicy
import PieRuntime

/// The path from flags to a running agent: the parsed option groups become `AgentOptions`, the
/// library's `AgentBuilder` assembles the agent, and its warnings and errors are rendered here
/// in the flags' own words.
struct AgentFlags {
    var policy: PolicyOptions
    var model: ModelOptions
    var run: RunOptions
    var sessions: SessionOptions
    var cwd: String
    var environment: [String: String]

    func options() throws(PieExit) -> AgentOptions {
        let policySelection: PolicySelection
        do {
            policySelection = try policy.selection()
        } catch {
            throw PieExit.usage(error.message)
        }
        return AgentOptions(
            cwd: cwd, model: model.selection, policy: policySelection, session: try sessions.selection(),
            systemPromptFile: run.systemPromptFile, thinking: model.thinking ?? .off, maxTurns: run.maxTurns,
            turnTimeoutMilliseconds: run.turnTimeoutMs, tasks: try run.taskLimits())
    }

    /// Builds the agent, printing the builder's warnings as they come. `approver` answers the
    /// calls the policy holds for approval: the terminal interactively, nobody for `pie -p`.
    /// `extraTools` join the coding tools (MCP servers' tools; interactive pie's `schedule`).
    /// `refreshTools` swaps in MCP servers' changed tool lists between turns (`MCPToolbox.toolRefresher`).
    func build(
        onEvent: @escaping @Sendable (AgentEvent) -> Void, approver: any Approver, extraTools: [any AgentTool] = [],
        refreshTools: @escaping @Sendable (ToolRunner) async -> ToolRunner? = { _ in nil }
    ) throws(PieExit) -> AssembledAgent {
        let options = try options()
        do {
            return try ProcessContext.agentBuilder(environment: environment).build(
                options, hooks: AgentHooks(refreshTools: refreshTools, onEvent: onEvent), approver: approver,
                extraTools: extraTools,
                onWarning: { printError("pie: warning: \($0)") })
        } catch {
            throw PieExit(error)
        }
    }
}

extension PieExit {
    /// A build failure worded with the flags that caused it; bad input exits 2, anything else 1.
    init(_ error: AgentBuildError) {
        let message: String
        switch error {
        case .replayWithoutTranscript:
            message = "--provider replay needs --replay FILE (a transcript such as examples/demo-transcript.jsonl)"
        case .transcriptWithoutReplay:
            message = "--replay goes with --provider replay"
        case .negativeSetting(let setting, let value):
            let flag = switch setting {
            case .maxRetries: "--provider-max-retries"
            case .retryBudgetMilliseconds: "--provider-retry-budget-ms"
            case .requestTimeoutMilliseconds: "--request-timeout-ms"
            }
            message = "\(flag): \(value) is negative; expected 0 or more"
        case .noSessionToResume(let cwd):
            message = "no session to resume in \(cwd); start one without --resume"
        case .systemPromptFileMissing(let path):
            message = "--system-prompt-file: '\(path)' does not exist"
        case .systemPromptFileUnreadable(_, let reason):
            message = "--system-prompt-file: \(reason)"
        default:
            message = error.description
        }
        self.init(code: error.isBadInput ? 2 : 1, message: message)
    }
}

extension AssembledAgent {
    /// Runs one prompt and shows what went wrong recording the session.
    /// Images are checked with `checkImages` before this is called; one refused here anyway ends
    /// the run as failed with the reason shown, before any request.
    mutating func sendShowingDiagnostics(_ prompt: String, images: [ImageAttachment] = []) async -> AgentRunResult {
        let result: AgentRunResult
        do {
            result = try await send(prompt, images: images)
        } catch {
            printError("pie: \(error)")
            return AgentRunResult(outcome: .failed(message: error.description), newMessages: [], context: context, usage: Usage())
        }
        for diagnostic in takeDiagnostics() { printError("pie: warning: \(diagnostic)") }
        return result
    }
}

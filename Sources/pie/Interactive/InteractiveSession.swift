import Glibc
import PieAgent
import PieLocal
import PieMCP
import PiePolicy
import PieRuntime
import PieSandbox
import PieSessionJobs
import Synchronization

/// The interactive `pie` prompt: streamed answers, slash commands, line editing with history, and
/// Ctrl+C that cancels the running turn (first press) or leaves (a second press at the prompt).
struct InteractiveSession {
    /// Rebuilds the agent with other session or model options (for /new, /resume, /fork, /model).
    typealias AgentFactory = (SessionOptions, ModelOptions) throws(PieExit) -> AssembledAgent

    var agent: AssembledAgent
    let printer: EventPrinter
    let environment: [String: String]
    let makeAgent: AgentFactory
    var modelOptions: ModelOptions
    /// The session's cron jobs and triggers, and the queue their fired prompts wait in.
    let jobs: InteractiveJobs
    /// The MCP servers started for this session (`/mcp`, and their prompts as slash commands).
    let mcp: MCPToolbox
    /// `--image` files, attached to the first prompt typed (kept until one is sent).
    var pendingImages: [ImageAttachment] = []

    func style() -> Style { printer.style }

    mutating func run() async throws(PieExit) {
        let home = PieDirectory.resolve(environment: environment)
        if let home { _ = mkdir(home.root, 0o700) }
        let editor = try LineEditor(historyPath: home.map { $0.root + "/history" })
        let state = PromptState(promptWait: jobs.promptWait)
        let interrupt = InterruptSignal { state.interrupt() }
        defer { interrupt.cancel() }
        printBanner()
        let sandbox = await SandboxInForce.describe(
            agent.policy.policy, environment: environment, services: ProcessContext.sandboxServices)
        printError(sandbox.isolated || agent.policy.policy.sandboxMode == .off ? style().dim(sandbox.line) : style().yellow(sandbox.line))
        jobs.start()
        await jobs.follow(agent)
        while true {
            state.enterPrompt()
            jobs.promptWait.clear()
            if let firing = jobs.queue.take() {
                await run(firing, state: state)
                continue
            }
            if jobs.hasEnabledJobs, jobs.promptWait.isAvailable, await jobs.promptWait.wait(prompt: "pie> ") == .job {
                continue
            }
            guard let line = editor.read(prompt: "pie> ", continuation: "...> ") else {
                print("")
                await jobs.stop()
                return
            }
            let input = line.trimmedWhitespace()
            if input.isEmpty { continue }
            if input.hasPrefix("/" + MCPToolName.prefix) {
                await runPrompt(input, state: state)
                continue
            }
            switch SlashCommand.parse(input) {
            case .prompt:
                await sendTyped(input, state: state)
            case .unknown(let name, let suggestion):
                let hint = suggestion.map { " — did you mean /\($0.rawValue)?" } ?? ""
                printError("unknown command /\(name)\(hint) (see /help)")
            case .command(let invocation):
                if invocation.command == .quit {
                    await jobs.stop()
                    return
                }
                await perform(invocation)
                await jobs.follow(agent)
            }
        }
    }

    /// A fired job's turn: its prompt sent as a user turn of this session, with a line saying
    /// which job it is and what skipped meanwhile.
    private mutating func run(_ firing: TurnQueue.Firing, state: PromptState) async {
        var line = "[\(firing.job.id) \(firing.job.triggerText): \(firing.cause)]"
        if firing.skipped > 0 {
            let unit = firing.job.firesOnEvents ? "event" : "tick"
            line += " (\(firing.skipped) later \(unit)\(firing.skipped == 1 ? "" : "s") skipped while it waited)"
        }
        printError(style().dim(line))
        print("pie> \(JobCommands.preview(firing.job.prompt))")
        await send(firing.job.prompt, state: state)
    }

    /// `/mcp__SERVER__PROMPT name=value …`: the server's prompt, filled in, sent as the user's turn.
    private mutating func runPrompt(_ input: String, state: PromptState) async {
        let name = String(input.dropFirst().prefix { $0 != " " })
        guard let (server, prompt) = MCPToolName.parse(name) else {
            printError("pie: '/\(name)' is not /mcp__SERVER__PROMPT (see /mcp prompts)")
            return
        }
        let argument = String(input.dropFirst(name.count + 1)).trimmedWhitespace()
        do throws(PieExit) {
            let text = try await MCPCommands(toolbox: mcp).prompt(server: server, name: prompt, argument: argument)
            printError(style().dim("[prompt '\(prompt)' of MCP server '\(server)']"))
            print("pie> \(JobCommands.preview(text))")
            await send(text, state: state)
        } catch {
            printError("pie: \(error.message ?? "the prompt failed")")
        }
    }

    /// A typed prompt with its images: `--image` files not yet sent and the images its `@path`
    /// mentions name. Checked before anything is sent; a refusal sends nothing (the line stays in
    /// the history). The `--image` files are then let go, so the next prompt is not refused again;
    /// an `@path` mention brings one back.
    private mutating func sendTyped(_ input: String, state: PromptState) async {
        let images: [ImageAttachment]
        do throws(ImageError) {
            images = pendingImages + (try ImageMentions.images(in: input, agent: agent))
            try agent.checkImages(images)
        } catch {
            printError(style().red("pie: \(error)"))
            if !pendingImages.isEmpty {
                let paths = pendingImages.map { "@" + $0.path }.joined(separator: " ")
                printError(style().yellow("nothing was sent; the --image files are no longer attached (mention them again: \(paths))"))
                pendingImages = []
            }
            return
        }
        for image in images { printError(style().dim("[image \(image.mimeType), \(image.data.count) bytes: \(image.path)]")) }
        pendingImages = []
        await send(input, images: images, state: state)
    }

    private mutating func send(_ prompt: String, images: [ImageAttachment] = [], state: PromptState) async {
        var agent = self.agent
        let task = Task { () -> (AssembledAgent, AgentRunResult) in
            let result = await agent.sendShowingDiagnostics(prompt, images: images)
            return (agent, result)
        }
        state.enterTurn(task)
        let (updated, result) = await task.value
        self.agent = updated
        printer.finishLine()
        switch result.outcome {
        case .aborted: printError(style().yellow("cancelled"))
        case .timedOut: printError(style().yellow("stopped: --turn-timeout-ms elapsed"))
        case .maxTurnsReached(let turns): printError(style().yellow("stopped after \(turns) model calls (--max-turns)"))
        case .failed(let message): printError(style().red("failed: \(message)"))
        case .completed, .stoppedByHook: break
        }
    }

    private func printBanner() {
        let model = agent.configuration.model
        let policy = agent.policy.policy
        printError(style().dim(
            "pie \(Pie.version) · \(model.provider):\(model.id) · policy \(policy.preset.rawValue) · "
                + "sandbox \(policy.sandboxMode.rawValue) · /help for commands, Ctrl+C twice to quit"))
    }

    private mutating func perform(_ invocation: SlashCommand.Invocation) async {
        var actions = SlashCommandActions(session: self)
        defer { self = actions.session }
        do throws(PieExit) {
            try await actions.perform(invocation)
        } catch {
            printError("pie: \(error.message ?? "command failed")")
        }
    }
}

/// Where Ctrl+C lands: cancel the running turn, or count presses at the prompt.
final class PromptState: Sendable {
    /// Holds the terminal's mode while the prompt waits for a key or a job; restored on leaving.
    let promptWait: PromptWait

    init(promptWait: PromptWait) {
        self.promptWait = promptWait
    }

    private enum Phase {
        case prompt(presses: Int)
        case turn(Task<(AssembledAgent, AgentRunResult), Never>)
    }

    private let phase = Mutex<Phase>(.prompt(presses: 0))

    func enterPrompt() {
        phase.withLock { $0 = .prompt(presses: 0) }
    }

    func enterTurn(_ task: Task<(AssembledAgent, AgentRunResult), Never>) {
        phase.withLock { $0 = .turn(task) }
    }

    func interrupt() {
        let presses = phase.withLock { phase -> Int in
            switch phase {
            case .turn(let task):
                task.cancel()
                return 0
            case .prompt(let presses):
                phase = .prompt(presses: presses + 1)
                return presses + 1
            }
        }
        if presses >= 2 {
            printError("")
            promptWait.restore()
            LineEditor.restoreTerminal()
            exit(0)
        }
        if presses == 1 { printError("\n(Ctrl+C again at the prompt to quit)") }
    }
}

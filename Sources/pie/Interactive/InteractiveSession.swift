import Glibc
import PieAgent
import PieLocal
import PiePolicy
import PieSandbox
import Synchronization

/// The interactive `pie` prompt: streamed answers, slash commands, line editing with history, and
/// Ctrl+C that cancels the running turn (first press) or leaves (a second press at the prompt).
struct InteractiveSession {
    /// Rebuilds the host with other session or model options (for /new, /resume, /fork, /model).
    typealias HostFactory = (SessionOptions, ModelOptions) throws(PieExit) -> AgentHost

    var host: AgentHost
    let printer: EventPrinter
    let environment: [String: String]
    let makeHost: HostFactory
    var modelOptions: ModelOptions

    func style() -> Style { printer.style }

    mutating func run() async throws(PieExit) {
        let home = PieDirectory.resolve(environment: environment)
        if let home { _ = mkdir(home.root, 0o700) }
        let editor = try LineEditor(historyPath: home.map { $0.root + "/history" })
        let state = PromptState()
        let interrupt = InterruptSignal { state.interrupt() }
        defer { interrupt.cancel() }
        printBanner()
        let sandbox = await SandboxInForce.describe(host.policy.policy, environment: environment)
        printError(sandbox.isolated || host.policy.policy.sandboxMode == .off ? style().dim(sandbox.line) : style().yellow(sandbox.line))
        while true {
            state.enterPrompt()
            guard let line = editor.read(prompt: "pie> ", continuation: "...> ") else {
                print("")
                return
            }
            let input = line.trimmedWhitespace()
            if input.isEmpty { continue }
            switch SlashCommand.parse(input) {
            case .prompt:
                await send(input, state: state)
            case .unknown(let name, let suggestion):
                let hint = suggestion.map { " — did you mean /\($0.rawValue)?" } ?? ""
                printError("unknown command /\(name)\(hint) (see /help)")
            case .command(let invocation):
                if invocation.command == .quit { return }
                await perform(invocation)
            }
        }
    }

    private mutating func send(_ prompt: String, state: PromptState) async {
        var host = self.host
        let task = Task { () -> (AgentHost, AgentRunResult) in
            let result = await host.send(prompt)
            return (host, result)
        }
        state.enterTurn(task)
        let (updated, result) = await task.value
        self.host = updated
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
        let model = host.configuration.model
        let policy = host.policy.policy
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
    private enum Phase {
        case prompt(presses: Int)
        case turn(Task<(AgentHost, AgentRunResult), Never>)
    }

    private let phase = Mutex<Phase>(.prompt(presses: 0))

    func enterPrompt() {
        phase.withLock { $0 = .prompt(presses: 0) }
    }

    func enterTurn(_ task: Task<(AgentHost, AgentRunResult), Never>) {
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
            LineEditor.restoreTerminal()
            exit(0)
        }
        if presses == 1 { printError("\n(Ctrl+C again at the prompt to quit)") }
    }
}

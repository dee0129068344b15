import ArgumentParser
import Dispatch
import Glibc
import PieAutomations
import PieJSON
import PieScheduler
import PieSystem

/// `pie automations serve`: the scheduler, in the foreground.
struct AutomationsServe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run due automations until stopped (SIGTERM or Ctrl+C).",
        discussion: """
            Reads both automation directories, reloads files when they change, and records every run in the \
            store. Several serve processes may share a store: each tick runs once. On SIGTERM it takes no new \
            work, lets running runs finish within --grace, then marks the rest interrupted (they are retried \
            as their `retries` say). Logs go to stderr, one line per event.
            """)

    @Option(help: "Where the webhook listener binds (webhook triggers).") var listen = "127.0.0.1:8787"
    @Option(name: .customLong("log-format"), help: "text or json (one JSON object per line).") var logFormat = ServeLog.Format.text
    @OptionGroup var store: StoreOption
    @Option(help: "How long running runs may take to finish after SIGTERM, e.g. 30s, 5m.") var grace = "30s"
    /// Test-only: see `FileClock`.
    @Option(name: .customLong("clock-file"), help: .hidden) var clockFile: String?

    func run() async throws {
        guard let grace = AutomationDuration(parsing: self.grace) else {
            throw PieExit.usage("--grace '\(self.grace)' is not a duration: \(AutomationDuration.rule)")
        }
        try Self.checkListen(listen)
        let clock: any SchedulerClock
        if let clockFile {
            do { clock = try FileClock(path: clockFile) } catch { throw PieExit.usage(error.description) }
        } else {
            clock = SystemClock()
        }
        let places = try AutomationPlaces.current(purpose: .serve)
        var context = places.context
        context.now = clock.now()
        let store = try self.store.open()
        let environment = ProcessContext.environment()
        var executor = AgentRunExecutor(
            builder: ProcessContext.agentBuilder(environment: environment), defaultProject: try ProcessContext.currentDirectory(),
            store: store)
        let log = ServeLog(format: logFormat, clock: clock) { line in _ = FileIO.writeAll(STDERR_FILENO, Array(line.utf8)) }
        executor.clock = clock
        if clockFile != nil { executor.approvalPollInterval = .milliseconds(50) }
        executor.onApproval = { run, approval in ApprovalNotice.log(approval, of: run, to: log) }
        var configuration = ServeLoop.Configuration(directories: places.directories, context: context)
        configuration.grace = .seconds(grace.seconds)
        let loop = ServeLoop(store: store, executor: executor, clock: clock, log: log, configuration: configuration)
        let signals = StopSignals { loop.stop() }
        await loop.run()
        signals.cancel()
    }

    /// `HOST:PORT` with a port in 1–65535.
    static func checkListen(_ address: String) throws(PieExit) {
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]),
            (1...65_535).contains(port), colon != address.startIndex
        else { throw PieExit.usage("--listen '\(address)' is not HOST:PORT (e.g. 127.0.0.1:8787)") }
    }
}

/// SIGTERM and SIGINT become a call (stop taking work) instead of process death.
///
/// `@unchecked Sendable`: the sources are set once in `init`, and dispatch sources are thread-safe.
final class StopSignals: @unchecked Sendable {
    private let sources: [any DispatchSourceSignal]

    init(onStop: @escaping @Sendable () -> Void) {
        sources = [SIGTERM, SIGINT].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler(handler: onStop)
            source.resume()
            return source
        }
    }

    func cancel() {
        for source in sources { source.cancel() }
        signal(SIGTERM, SIG_DFL)
        signal(SIGINT, SIG_DFL)
    }
}

extension ServeLog.Format: ExpressibleByArgument {}

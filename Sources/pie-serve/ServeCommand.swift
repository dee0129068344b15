import ArgumentParser
import Glibc
import PieAgent
import PieAutomations
import PieLocal
import PieRuntime
import PieSandbox
import PieScheduler
import PieServe
import PieSystem
import PieWebhooks

/// `pie automations serve` (pie execs this binary): the scheduler in the foreground, with the
/// webhook listener and `/metrics`, file triggers and command probes. Its own executable so that
/// `pie` does not link the HTTP server (docs/architecture.md, "The webhook listener").
@main
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pie automations serve", abstract: "Run due automations until stopped (SIGTERM or Ctrl+C).",
        discussion: """
            Reads both automation directories, reloads files when they change, and records every run in the \
            store. Several serve processes may share a store: each tick runs once. Webhook triggers and \
            /metrics are served on --listen; file triggers and command probes run here too. On SIGTERM it \
            takes no new work, lets running runs finish within --grace, then marks the rest interrupted (they \
            are retried as their `retries` say). Logs go to stderr, one line per event.
            """)

    @Option(help: "Where the webhook listener and /metrics bind (HOST:PORT; port 0 picks a free one).")
    var listen = "127.0.0.1:8787"
    @Option(name: .customLong("log-format"), help: "text or json (one JSON object per line).")
    var logFormat = ServeLog.Format.text
    @Option(
        name: .customLong("store"),
        help: """
            The automation store: sqlite:PATH (default ~/.pie/automations.db, under PIE_DIR) or \
            postgres://USER@HOST[:PORT]/DATABASE shared by many workers (default: $PIE_AUTOMATIONS_STORE).
            """)
    var storePath: String?
    @Option(help: "How long running runs may take to finish after SIGTERM, e.g. 30s, 5m.") var grace = "30s"
    @Option(help: "How long a run's lease lasts without a heartbeat: another worker takes over the runs of a worker silent this long.")
    var lease = "5m"
    /// Test-only: see `FileClock`.
    @Option(name: .customLong("clock-file"), help: .hidden) var clockFile: String?

    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let failure as ServeFailure {
            writeError("pie: \(failure.message)")
            Glibc.exit(failure.code)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Glibc.exit(0)
            }
            writeError(fullMessage(for: error))
            Glibc.exit(2)
        }
    }

    func run() async throws {
        guard let lease = AutomationDuration(parsing: self.lease), lease.seconds >= 3 else {
            throw ServeFailure.usage("--lease '\(self.lease)' is not a duration of at least 3s: \(AutomationDuration.rule)")
        }
        guard let grace = AutomationDuration(parsing: self.grace) else {
            throw ServeFailure.usage("--grace '\(self.grace)' is not a duration: \(AutomationDuration.rule)")
        }
        let address: ListenAddress
        do {
            address = try ListenAddress(parsing: listen)
        } catch {
            throw ServeFailure.usage("--listen '\(listen)' is not HOST:PORT (e.g. 127.0.0.1:8787): \(error)")
        }
        let clock: any SchedulerClock
        if let clockFile {
            do { clock = try FileClock(path: clockFile) } catch { throw ServeFailure.usage(error.description) }
        } else {
            clock = SystemClock()
        }
        let environment = PieEnvironment.process().variables
        let project = try Self.currentDirectory()
        let pieDirectory = PieDirectory.resolve(environment: environment)
        let store = try openStore(pieDirectory: pieDirectory, environment: environment)
        let context = ValidationContext(
            now: clock.now(), environment: environment, home: environment["HOME"], projectRoot: project, purpose: .serve)
        let directories = [(AutomationScope.project, project + "/.pie/automations")]
            + (pieDirectory.map { [(AutomationScope.user, $0.automationsDirectory)] } ?? [])
        var settings = ServeSettings(
            listen: address, grace: .seconds(grace.seconds), clock: clock, directories: directories, context: context,
            environment: environment, project: project)
        if clockFile != nil { settings.approvalPollInterval = .milliseconds(50) }
        settings.leaseSeconds = lease.seconds
        let sandbox = SandboxServices()
        let log = ServeLog(format: logFormat, clock: clock) { line in _ = FileIO.writeAll(STDERR_FILENO, Array(line.utf8)) }
        let loop = ServeDaemon.loop(
            settings, store: store, builder: AgentBuilder(environment: environment, services: .standard(sandbox: sandbox)),
            sandbox: sandbox, log: log)
        // SIGTERM and SIGINT stop the loop taking work instead of ending the process.
        let signals = SignalPipe(signals: [SIGTERM, SIGINT]) { _ in loop.stop() }
        await loop.run()
        signals?.cancel()
    }

    private func openStore(pieDirectory: PieDirectory?, environment: [String: String]) throws(ServeFailure) -> SchedulerStore {
        let location: StoreLocation?
        do {
            location = try StoreLocation.resolve(flag: storePath, environment: environment, pieDirectory: pieDirectory?.root)
        } catch {
            throw .usage(error.description)
        }
        guard let location else {
            throw .usage("cannot find pie's state directory for the automation store: set HOME or PIE_DIR, or pass --store")
        }
        do {
            return try SchedulerStore(location)
        } catch {
            throw ServeFailure(code: 1, message: error.description)
        }
    }

    /// The working directory, refused when its path is not UTF-8 (a repaired spelling would serve
    /// another project's automations).
    private static func currentDirectory() throws(ServeFailure) -> String {
        guard let bytes = ProcessPaths.workingDirectory() else {
            throw ServeFailure(code: 1, message: "cannot read the working directory")
        }
        guard let path = String(validating: bytes, as: UTF8.self) else {
            throw .usage("the working directory's path is not valid UTF-8; run serve from a directory whose path is UTF-8")
        }
        return path
    }
}

/// Ends serve with an exit code after its message: 2 for bad flags, 1 for a store it cannot use.
struct ServeFailure: Error {
    var code: Int32
    var message: String

    static func usage(_ message: String) -> ServeFailure { ServeFailure(code: 2, message: message) }
}

func writeError(_ text: String) {
    _ = FileIO.writeAll(STDERR_FILENO, Array((text.hasSuffix("\n") ? text : text + "\n").utf8))
}

extension ServeLog.Format: ExpressibleByArgument {}

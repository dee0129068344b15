import ArgumentParser
import Dispatch
import Glibc
import PieAgent
import PieAutomations
import PieJSON
import PieScheduler
import PieSystem

/// The automation store a command uses: `--store`, else `PIE_AUTOMATIONS_STORE`, else
/// `<PIE_DIR>/automations.db` (`~/.pie/automations.db`). `sqlite:PATH` or a plain path is a SQLite
/// file; `postgres://USER@HOST[:PORT]/DATABASE` the PostgreSQL store many workers share.
struct StoreOption: ParsableArguments {
    @Option(
        name: .customLong("store"),
        help: "The automation store: sqlite:PATH (default ~/.pie/automations.db) or postgres://USER@HOST[:PORT]/DATABASE (default: $PIE_AUTOMATIONS_STORE).")
    var path: String?

    /// Opens the store; a server that cannot be reached exits with `unreachableExit` (`run --once`: 75).
    func open(unreachableExit: Int32 = 1) throws(PieExit) -> SchedulerStore {
        let environment = ProcessContext.environment()
        let location: StoreLocation?
        do {
            location = try StoreLocation.resolve(
                flag: path, environment: environment, pieDirectory: PieDirectory.resolve(environment: environment)?.root)
        } catch {
            throw PieExit.usage(error.description)
        }
        guard let location else {
            throw PieExit.usage("cannot find pie's state directory for the automation store: set HOME or PIE_DIR, or pass --store")
        }
        do {
            return try SchedulerStore(location)
        } catch {
            throw PieExit(code: error.isUnreachable ? unreachableExit : 1, message: error.description)
        }
    }
}

/// The exit codes of `pie automations run ID --once` (docs/automations.md, "Kubernetes
/// CronJobs"): what a CronJob's pod reports.
enum RunExitCode {
    static let failed: Int32 = 1
    /// Another worker holds (or ran) the tick this run would stand for; nothing ran.
    static let skipped: Int32 = 3
    /// Try again later: the run failed and a retry is queued, or the store could not be reached.
    static let retryLater: Int32 = 75
}

extension StoreError {
    /// The store's server could not be reached (down, restarting), or the connection broke with a
    /// COMMIT's answer unknown (the store puts such a claim back in the queue): a later try may succeed.
    var isUnreachable: Bool {
        if case .postgres(_, let error) = self { return error.kind == .connection || error.kind == .commitUnknown }
        return false
    }
}

/// `pie automations run ID [--once]`: one run now, in the foreground, recorded in the store.
struct AutomationsRun: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run an automation now, in the foreground, and record the run in the store.",
        discussion: """
            The run is a normal pie session under the automation's policy and budget. With --once it stands for \
            one scheduled tick of the automation (the one due in the last 10 minutes, else the next), which \
            `serve` and other --once runs then do not run again. Exit 0 when the run succeeded, 1 otherwise, \
            130 when interrupted; with --once also 3 when another worker already holds that tick (nothing ran) \
            and 75 when a retry is queued or the store cannot be reached (try again later).
            """)

    @Argument(help: "The automation's id.") var id: String
    @Option(help: "project or user (default: the project's when both exist).") var scope: AutomationScope?
    @Flag(help: "Let this run stand for the next scheduled tick (an `at` automation then never fires again).")
    var once = false
    @OptionGroup var store: StoreOption
    @Flag(help: "Print the run's record as JSON.") var json = false

    func run() async throws {
        let places = try AutomationPlaces.current()
        let (automation, _) = try places.automation(id: id, scope: scope)
        if !automation.enabled { printError("pie: note: \(automation.id) is disabled; running it once because you asked") }
        let environment = ProcessContext.environment()
        var trigger: ClockTrigger?
        if once {
            do {
                trigger = try ClockTrigger.make(automation.trigger, environment: environment)
            } catch {
                throw PieExit(code: 1, message: "\(automation.id): \(error)")
            }
        }
        // Ctrl+C is caught before the run exists, so none is lost while it starts.
        let canceller = PendingCancellation()
        let interrupt = InterruptSignal { canceller.cancel() }
        // Kept (SIGINT stays caught) until pie exits: a second Ctrl+C must not kill it mid-record.
        defer { withExtendedLifetime(interrupt) {} }
        let store = try self.store.open(unreachableExit: once ? RunExitCode.retryLater : 1)
        let clock = SystemClock()
        let owner = LeaseOwner.current()
        let record: RunRecord
        do {
            // The lease outlives the run's timeout: nobody else may take a run this process holds.
            let lease = automation.run.timeout.seconds + 300
            if let trigger {
                switch try store.startOnce(automation, owner: owner, now: clock.now(), leaseSeconds: lease, trigger: trigger) {
                case .started(let run):
                    record = run
                case .held:
                    throw PieExit(
                        code: RunExitCode.skipped,
                        message: "skipped: another worker already holds or ran the tick of \(automation.id) this run would stand for")
                case .retryAt(let time):
                    throw PieExit(
                        code: RunExitCode.retryLater,
                        message: "the retry of \(automation.id)'s tick waits out its backoff until \(RunRendering.time(time)); try again then")
                }
            } else {
                guard let claimed = try store.startManual(automation, owner: owner, now: clock.now(), leaseSeconds: lease) else {
                    throw PieExit(code: 1, message: "the store refused a manual run of \(automation.id)")
                }
                record = claimed
            }
        } catch let error as StoreError {
            throw PieExit(code: once && error.isUnreachable ? RunExitCode.retryLater : 1, message: error.description)
        }
        printError("pie: run \(record.id) of \(automation.id) started")
        var executor = AgentRunExecutor(
            builder: ProcessContext.agentBuilder(environment: environment), defaultProject: try ProcessContext.currentDirectory(),
            store: store)
        let log = ServeLog(format: .text, clock: clock) { line in _ = FileIO.writeAll(STDERR_FILENO, Array(line.utf8)) }
        executor.onApproval = { run, approval in ApprovalNotice.log(approval, of: run, to: log) }
        let task = Task { await executor.execute(record, of: automation) }
        canceller.attach(task)
        var outcome = await task.value
        if outcome.state == .interrupted {
            // The user stopped it on purpose: no scheduler should run it again.
            outcome.reason = "interrupted with Ctrl+C"
            outcome.retryable = false
        }
        let finished: RunRecord?
        let result: FinishResult
        do {
            result = try store.finish(record.id, owner: owner, generation: record.leaseGeneration, outcome: outcome, now: clock.now())
            finished = try store.run(record.id)
        } catch {
            throw PieExit(code: once && error.isUnreachable ? RunExitCode.retryLater : 1, message: error.description)
        }
        guard let finished else { throw PieExit(code: 1, message: StoreError.noSuchRun(record.id).description) }
        print(json ? RunRendering.json(finished).rendered(pretty: true) : RunRendering.details(finished), terminator: json ? "\n" : "")
        switch finished.state {
        case .succeeded: return
        case .interrupted: throw PieExit(code: 130)
        default:
            if once, let retry = result.retry {
                printError("pie: run \(retry) will retry \(automation.id) (attempt \(finished.attempt + 1) of \(finished.maxAttempts))")
                throw PieExit(code: RunExitCode.retryLater)
            }
            throw PieExit(code: RunExitCode.failed)
        }
    }
}

/// `pie automations runs [ID]`.
struct AutomationsRuns: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs", abstract: "List recorded runs, newest first.")

    @Argument(help: "Only the runs of this automation id.") var id: String?
    @Option(help: "At most this many runs (1–10000).") var limit = 50
    @OptionGroup var store: StoreOption
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        guard (1...10_000).contains(limit) else { throw PieExit.usage("--limit \(limit) is out of range 1–10000") }
        if let id, !AutomationID.isValid(id) {
            throw PieExit.usage("'\(id)' is not an automation id: an id uses \(AutomationID.rule)")
        }
        let runs: [RunRecord]
        let store = try self.store.open()
        do throws(StoreError) { runs = try store.runs(automationID: id, limit: limit) } catch {
            throw PieExit(code: 1, message: error.description)
        }
        if json {
            print(JSONValue.object(JSONObject([("runs", .array(runs.map(RunRendering.json)))])).rendered(pretty: true))
        } else if runs.isEmpty {
            print(id.map { "no runs of \($0) recorded" } ?? "no runs recorded")
        } else {
            print(RunRendering.table(runs), terminator: "")
        }
    }
}

/// `pie automations logs RUN`.
struct AutomationsLogs: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs", abstract: "Show one run's record, its session and its final message.")

    @Argument(help: "The run's number (from `pie automations runs`).") var runNumber: String
    @OptionGroup var store: StoreOption
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        guard let id = RunID(parsing: runNumber) else { throw PieExit.usage("'\(runNumber)' is not a run number; `pie automations runs` lists them") }
        let record: RunRecord?
        let store = try self.store.open()
        do throws(StoreError) { record = try store.run(id) } catch {
            throw PieExit(code: 1, message: error.description)
        }
        guard let record else { throw PieExit(code: 1, message: StoreError.noSuchRun(id).description) }
        print(json ? RunRendering.json(record).rendered(pretty: true) : RunRendering.details(record), terminator: json ? "\n" : "")
    }
}

import ArgumentParser
import Dispatch
import Glibc
import PieAgent
import PieAutomations
import PieJSON
import PieScheduler
import PieSystem

/// The automation store a command uses: `--store PATH`, else `<PIE_DIR>/automations.db`
/// (`~/.pie/automations.db`).
struct StoreOption: ParsableArguments {
    @Option(name: .customLong("store"), help: "The automation store (default: ~/.pie/automations.db, under PIE_DIR).")
    var path: String?

    func open() throws(PieExit) -> SchedulerStore {
        let path: String
        if let given = self.path {
            path = given
        } else {
            guard let directory = PieDirectory.resolve(environment: ProcessContext.environment()) else {
                throw PieExit.usage("cannot find pie's state directory for the automation store: set HOME or PIE_DIR, or pass --store")
            }
            path = SchedulerStore.defaultPath(pieDirectory: directory.root)
        }
        do {
            return try SchedulerStore(path: path)
        } catch {
            throw PieExit(code: 1, message: error.description)
        }
    }
}

/// `pie automations run ID [--once]`: one run now, in the foreground, recorded in the store.
struct AutomationsRun: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run an automation now, in the foreground, and record the run in the store.",
        discussion: """
            The run is a normal pie session under the automation's policy and budget. With --once it stands for \
            the automation's next scheduled tick, which `serve` then does not run again. Exit 0 when the run \
            succeeded, 1 otherwise, 130 when interrupted.
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
        let store = try self.store.open()
        let clock = SystemClock()
        let owner = LeaseOwner.current()
        let record: RunRecord
        do {
            // The lease outlives the run's timeout: nobody else may take a run this process holds.
            let lease = automation.run.timeout.seconds + 300
            guard
                let claimed = try store.startManual(
                    automation, owner: owner, now: clock.now(), leaseSeconds: lease, consuming: trigger)
            else {
                throw PieExit(code: 1, message: "the next tick of \(automation.id) was already claimed by a running serve")
            }
            record = claimed
        } catch let error as StoreError {
            throw PieExit(code: 1, message: error.description)
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
        do {
            _ = try store.finish(record.id, owner: owner, outcome: outcome, now: clock.now())
            finished = try store.run(record.id)
        } catch {
            throw PieExit(code: 1, message: error.description)
        }
        guard let finished else { throw PieExit(code: 1, message: StoreError.noSuchRun(record.id).description) }
        print(json ? RunRendering.json(finished).rendered(pretty: true) : RunRendering.details(finished), terminator: json ? "\n" : "")
        switch finished.state {
        case .succeeded: return
        case .interrupted: throw PieExit(code: 130)
        default: throw PieExit(code: 1)
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

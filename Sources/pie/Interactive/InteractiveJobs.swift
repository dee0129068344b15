import PieAgent
import PieAutomations
import PiePolicy
import PieRuntime
import PieScheduler
import PieSessionJobs
import Synchronization

/// Interactive pie's session jobs: the store of the open session's `.cron.toml` and
/// `.triggers.json`, the ticker that fires clock jobs, the file and command triggers, and the
/// queue they all feed. The prompt loop takes fired jobs from the queue when no turn runs.
final class InteractiveJobs: Sendable {
    let store: SessionJobStore
    let queue = TurnQueue()
    let clock: any SchedulerClock
    let ticker: SessionJobTicker
    let events: EventJobs
    let promptWait = PromptWait()
    private let style: Style
    private let current = Mutex<(path: String?, opened: Bool)>((nil, false))
    private let task = Mutex<Task<Void, Never>?>(nil)

    /// Test-only: `PIE_CLOCK_FILE` names a file holding the time in seconds since the epoch (see
    /// PieScheduler's `FileClock`), so end-to-end tests move time without waiting for it.
    static let clockFileVariable = "PIE_CLOCK_FILE"

    init(environment: [String: String], style: Style, projectRoot: String) throws(PieExit) {
        if let path = environment[Self.clockFileVariable] {
            do { clock = try FileClock(path: path) } catch { throw PieExit.usage("\(Self.clockFileVariable): \(error.description)") }
        } else {
            clock = SystemClock()
        }
        self.style = style
        store = SessionJobStore(rules: SessionJobRules(environment: environment))
        let notice: @Sendable (String) -> Void = { line in printError(style.dim("pie: jobs: " + line)) }
        ticker = SessionJobTicker(store: store, clock: clock, queue: queue, notice: notice)
        events = EventJobs(
            store: store, queue: queue, clock: clock, environment: environment, projectRoot: projectRoot,
            services: ProcessContext.sandboxServices, notice: notice)
        let (ticker, events, promptWait) = (ticker, events, promptWait)
        store.onChange {
            ticker.rearm()
            events.requestUpdate()
        }
        queue.onOffer { offer in
            switch offer {
            case .queued(let firing):
                // At the empty prompt the job starts at once; otherwise say that it waits.
                if !promptWait.isWaiting {
                    printError(style.dim("pie: jobs: \(firing.job.id) fired (\(firing.cause)); it runs when the session is free"))
                }
                promptWait.wake()
            case .skipped(let instant, let waiting):
                printError(style.dim(
                    "pie: jobs: \(waiting.job.id): \(RFC3339.format(instant, in: .utc)) skipped, its run for \(waiting.cause) has not started yet"))
            }
        }
    }

    /// The model's `schedule` tool over this session's jobs.
    var tool: ScheduleTool { ScheduleTool(store: store, clock: clock) }

    /// Starts the ticker; `stop` ends it and the triggers.
    func start() {
        let ticker = ticker
        task.withLock { $0 = Task { await ticker.run() } }
    }

    func stop() async {
        task.withLock { $0 }?.cancel()
        await events.stop()
    }

    /// Opens the jobs of the agent's session when it is another one than before (`/new`,
    /// `/resume`, `/fork`), re-arming them; what fired for the old session is dropped.
    func follow(_ agent: AssembledAgent) async {
        let path = agent.recorder?.session.path
        let changed = current.withLock { current -> Bool in
            defer { current = (path, true) }
            return !current.opened || current.path != path
        }
        guard changed else { return }
        while queue.take() != nil {}
        events.setPreset(agent.policy.policy.preset)
        let issues = store.open(sessionPath: path)
        for issue in issues {
            printError(style.yellow("pie: warning: \(issue.description)"))
        }
        ticker.rearm()
        events.requestUpdate()
        await events.settled()
        let jobs = store.snapshot.jobs
        let active = jobs.filter(\.enabled).count
        if !jobs.isEmpty {
            printError(style.dim("pie: \(jobs.count) session job\(jobs.count == 1 ? "" : "s") (\(active) enabled): /cron list, /triggers"))
        }
    }

    /// Whether a job could fire while the prompt waits.
    var hasEnabledJobs: Bool { store.snapshot.jobs.contains { $0.enabled } }
}

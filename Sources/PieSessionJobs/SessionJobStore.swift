import PieAutomations
import PieSystem
import Synchronization

/// A session's jobs: both files read when the session opens, and every change written back
/// atomically (a temporary file renamed over the old one). A change re-reads the file first, so
/// an edit made by hand meanwhile is kept, and a file pie cannot read fully is never rewritten:
/// the change is refused with the file and line to fix, and the file stays as it is.
public final class SessionJobStore: Sendable {
    /// The jobs as last read or written, and the files they came from.
    public struct Snapshot: Sendable, Equatable {
        public var files: SessionJobFiles?
        public var cron: [SessionJob] = []
        public var triggers: [TriggersFile.Rule] = []

        public var jobs: [SessionJob] { cron + triggers.map(\.job) }

        public func job(_ id: String) -> SessionJob? { jobs.first { $0.id == id } }

        public func fireOnce(_ id: String) -> Bool {
            triggers.first { $0.job.id == id }?.fireOnce ?? false
        }
    }

    public let rules: SessionJobRules
    private let state = Mutex(Snapshot())
    /// Called after every change (not after `open`), so the runner re-arms.
    private let changed = Mutex<@Sendable () -> Void>({})

    public init(rules: SessionJobRules) {
        self.rules = rules
    }

    public var snapshot: Snapshot { state.withLock { $0 } }

    public func onChange(_ action: @escaping @Sendable () -> Void) {
        changed.withLock { $0 = action }
    }

    /// Reads the jobs of the session at `sessionPath` (nil: a session that is not saved, which
    /// has no jobs). Returns what is wrong in the files: their valid jobs are used all the same.
    @discardableResult
    public func open(sessionPath: String?) -> [AutomationIssue] {
        guard let sessionPath else {
            state.withLock { $0 = Snapshot() }
            return []
        }
        let files = SessionJobFiles(sessionPath: sessionPath)
        let cron = readCron(files.cron)
        let triggers = readTriggers(files.triggers)
        state.withLock { $0 = Snapshot(files: files, cron: cron.jobs, triggers: triggers.rules) }
        return cron.issues + triggers.issues
    }

    /// Adds a job; its id is the next free one of its kind.
    public func add(
        _ trigger: AutomationTrigger, prompt: String, origin: SessionJob.Origin, fireOnce: Bool, now: Instant
    ) throws(SessionJobError) -> SessionJob {
        let kind = SessionJobKind(of: trigger)
        let prompt = try rules.prompt(prompt)
        try rules.check(trigger)
        var added: SessionJob?
        try change(kind) { cron, triggers throws(SessionJobError) in
            let id = SessionJobID.next(after: kind == .cron ? cron : triggers.map(\.job), kind: kind)
            let job = SessionJob(id: id, trigger: trigger, prompt: prompt, origin: origin, created: now)
            if kind == .cron {
                cron.append(job)
            } else {
                if case .at = trigger { triggers.append(TriggersFile.Rule(job: job, fireOnce: true)) } else {
                    triggers.append(TriggersFile.Rule(job: job, fireOnce: fireOnce))
                }
            }
            added = job
        }
        guard let added else { throw SessionJobError("no job was added", fix: "try again") }
        return added
    }

    /// Turns a job on or off; returns it as it now is.
    @discardableResult
    public func setEnabled(_ id: String, _ enabled: Bool) throws(SessionJobError) -> SessionJob {
        try update(id) { job in job.enabled = enabled }
    }

    /// Records that a job fired, or was found passed: a one-shot job is turned off with the time.
    public func recordFired(_ id: String, at instant: Instant) throws(SessionJobError) {
        let current = snapshot
        guard let job = current.job(id) else { return }
        if case .at = job.trigger {} else if !current.fireOnce(id) { return }
        _ = try update(id) { job in
            job.firedAt = instant
            job.enabled = false
        }
    }

    @discardableResult
    public func remove(_ id: String) throws(SessionJobError) -> SessionJob {
        let kind = try kindOf(id)
        var removed: SessionJob?
        try change(kind) { cron, triggers throws(SessionJobError) in
            if let index = cron.firstIndex(where: { $0.id == id }) {
                removed = cron.remove(at: index)
            } else if let index = triggers.firstIndex(where: { $0.job.id == id }) {
                removed = triggers.remove(at: index).job
            } else {
                throw Self.unknown(id)
            }
        }
        guard let removed else { throw Self.unknown(id) }
        return removed
    }

    private func update(_ id: String, _ edit: @escaping (inout SessionJob) -> Void) throws(SessionJobError) -> SessionJob {
        let kind = try kindOf(id)
        var result: SessionJob?
        try change(kind) { cron, triggers throws(SessionJobError) in
            if let index = cron.firstIndex(where: { $0.id == id }) {
                edit(&cron[index])
                result = cron[index]
            } else if let index = triggers.firstIndex(where: { $0.job.id == id }) {
                edit(&triggers[index].job)
                result = triggers[index].job
            } else {
                throw Self.unknown(id)
            }
        }
        guard let result else { throw Self.unknown(id) }
        return result
    }

    private func kindOf(_ id: String) throws(SessionJobError) -> SessionJobKind {
        for kind in SessionJobKind.allCases where SessionJobID.isValid(id, kind: kind) { return kind }
        throw Self.unknown(id)
    }

    private static func unknown(_ id: String) -> SessionJobError {
        SessionJobError("no job '\(id)' in this session", fix: "see /cron list and /triggers for the ids")
    }

    /// Re-reads the file of `kind`, applies `edit` and writes it back atomically, or refuses when
    /// the file has errors. The other file's jobs are kept as last read.
    private func change(
        _ kind: SessionJobKind, _ edit: (inout [SessionJob], inout [TriggersFile.Rule]) throws(SessionJobError) -> Void
    ) throws(SessionJobError) {
        guard let files = snapshot.files else {
            throw SessionJobError(
                "this session is not saved (--no-session), so it cannot keep jobs", fix: "start pie without --no-session")
        }
        var current = snapshot
        switch kind {
        case .cron:
            let read = readCron(files.cron)
            try Self.refuseBroken(read.issues)
            current.cron = read.jobs
        case .trigger:
            let read = readTriggers(files.triggers)
            try Self.refuseBroken(read.issues)
            current.triggers = read.rules
        }
        try edit(&current.cron, &current.triggers)
        let bytes = kind == .cron ? Array(CronFile.render(current.cron).utf8) : TriggersFile.render(current.triggers)
        do throws(FileError) {
            try FileIO.writeAtomically(bytes, to: files.path(of: kind), mode: 0o600)
        } catch {
            throw SessionJobError("\(error.description)", fix: "check the session directory's permissions and free space")
        }
        state.withLock { $0 = current }
        changed.withLock { $0 }()
    }

    private static func refuseBroken(_ issues: [AutomationIssue]) throws(SessionJobError) {
        guard let first = issues.first(where: { $0.severity == .error }) else { return }
        throw SessionJobError(
            "\(first.description) (pie does not rewrite a file it cannot read fully)",
            fix: "fix or move the file, then try again")
    }

    private func readCron(_ path: String) -> JobFileContents {
        switch readText(path) {
        case .missing: return JobFileContents()
        case .failed(let issue): return JobFileContents(issues: [issue])
        case .bytes(let bytes):
            guard let text = String(validating: bytes, as: UTF8.self) else {
                return JobFileContents(issues: [
                    AutomationIssue(file: path, line: nil, field: nil, message: "is not UTF-8 text", fix: "fix or move the file")
                ])
            }
            return CronFile.parse(text, path: path, rules: rules)
        }
    }

    private func readTriggers(_ path: String) -> (rules: [TriggersFile.Rule], issues: [AutomationIssue]) {
        switch readText(path) {
        case .missing: return ([], [])
        case .failed(let issue): return ([], [issue])
        case .bytes(let bytes): return TriggersFile.parse(bytes, path: path, rules: rules)
        }
    }

    private enum Read {
        case missing
        case failed(AutomationIssue)
        case bytes([UInt8])
    }

    /// A jobs file is small; more than a MiB is not one pie wrote.
    private func readText(_ path: String) -> Read {
        do throws(FileError) {
            guard let bytes = try FileIO.read(path, limit: 1 << 20) else { return .missing }
            return .bytes(bytes)
        } catch {
            return .failed(AutomationIssue(file: path, line: nil, field: nil, message: error.description, fix: "fix or move the file"))
        }
    }
}

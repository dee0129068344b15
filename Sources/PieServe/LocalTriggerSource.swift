import PieAutomations
import PieJSON
import PieScheduler
import PieTriggers
import Synchronization

/// File triggers (inotify) and command probes (policy, then sandbox) for `serve`: PieTriggers'
/// service, each event queued through the store with what happened as the run's data.
public final class LocalTriggerSource: TriggerSource {
    public let name = "file and command"
    private let probes: any ProbeRunner
    private let home: String?
    private let log: ServeLog
    private let automations = AutomationDirectory()
    private let service: TriggerServiceBox

    /// The service exists once `start` has the store's sink.
    private final class TriggerServiceBox: Sendable {
        let service: Mutex<TriggerService?> = Mutex(nil)
    }

    public init(probes: any ProbeRunner, home: String?, log: ServeLog) {
        (self.probes, self.home, self.log) = (probes, home, log)
        service = TriggerServiceBox()
    }

    public func start(automations: [Automation], sink: PieScheduler.TriggerSink) async throws {
        self.automations.replace(with: automations)
        let triggers = TriggerService(
            sink: StoreTriggerSink(sink: sink, automations: self.automations, log: log), probes: probes,
            clock: SchedulerTriggerClock(clock: sink.clock), home: home)
        service.service.withLock { $0 = triggers }
        try await triggers.start()
        await triggers.update(automations: automations)
    }

    public func reload(automations: [Automation]) async {
        self.automations.replace(with: automations)
        await service.service.withLock { $0 }?.update(automations: automations)
    }

    public func stop() async {
        await service.service.withLock { $0 }?.stop()
    }
}

/// Queues a run for each event, with the event as JSON data (the run shows it only inside its
/// fenced data block), and logs each notice once.
struct StoreTriggerSink: PieTriggers.TriggerSink {
    let sink: PieScheduler.TriggerSink
    let automations: AutomationDirectory
    let log: ServeLog

    func fire(_ event: TriggerEvent) {
        guard let automation = automations[event.automation] else { return }
        let (kind, payload) = Self.describe(event)
        do {
            let run = try sink.enqueue(automation: automation, kind: kind, payload: JSONWriter.string(.object(payload)))
            log.log(
                .info, "trigger_fired", "\(automation.id): \(kind.rawValue) trigger queued run \(run)",
                [("automation", .string(automation.id.rawValue)), ("run", .string("\(run)"))])
        } catch {
            log.log(.error, "trigger_not_queued", "\(automation.id): the \(kind.rawValue) trigger's run was not queued: \(error)")
        }
    }

    func report(_ notice: TriggerNotice) {
        var fields: [(String, JSONValue)] = []
        if let id = notice.automation { fields.append(("automation", .string(id.rawValue))) }
        log.log(.warning, "trigger_notice", "\(notice)", fields)
    }

    static func describe(_ event: TriggerEvent) -> (TriggerKind, JSONObject) {
        switch event.kind {
        case .file(let change, let path):
            return (.file, JSONObject([("event", .string(change.rawValue)), ("path", .string(path))]))
        case .command(let result):
            var object = JSONObject([
                ("succeeded", .bool(result.succeeded)), ("timed_out", .bool(result.timedOut)), ("output", .string(result.output)),
            ])
            if let status = result.exitStatus { object["exit_status"] = .number(Double(status)) }
            return (.command, object)
        }
    }
}

/// Probes follow the scheduler's clock, so the test clock steps them too.
struct SchedulerTriggerClock: TriggerClock {
    let clock: any SchedulerClock

    func now() -> Instant { clock.now() }

    func sleep(until deadline: Instant) async -> Bool {
        while !Task.isCancelled {
            if clock.now() >= deadline { return true }
            do {
                try await Task.sleep(for: min(clock.delay(until: deadline), .seconds(60)))
            } catch {
                return false
            }
        }
        return false
    }
}

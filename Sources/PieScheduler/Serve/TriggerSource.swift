import PieAutomations

/// A source of runs besides the clock: the webhook listener, inotify file triggers, command
/// probes. `serve` starts each with the automations it should watch and a sink to queue runs
/// through; it calls `reload` when automation files change and `stop` on shutdown (after which
/// the source must not use the sink).
public protocol TriggerSource: Sendable {
    /// A short name for the log (`webhook`, `file`, `command`).
    var name: String { get }
    func start(automations: [Automation], sink: TriggerSink) async throws
    func reload(automations: [Automation]) async
    func stop() async
}

/// How a trigger source queues runs: through the store (durable before the call returns) and
/// then a wake of the serve loop, so the run starts without waiting for the next tick.
public struct TriggerSink: Sendable {
    public let store: any AutomationStore
    public let clock: any SchedulerClock
    let wake: WakeSignal

    public init(store: any AutomationStore, clock: any SchedulerClock, wake: WakeSignal) {
        (self.store, self.clock, self.wake) = (store, clock, wake)
    }

    /// A file or command trigger fired.
    public func enqueue(automation: Automation, kind: TriggerKind, payload: String?) throws(StoreError) -> RunID {
        let id = try store.enqueueTriggered(automation: automation, kind: kind, payload: payload, at: clock.now())
        wake.signal()
        return id
    }

    /// An MCP notification under its dedup key (see `SchedulerStore.admitNotification`).
    public func admitNotification(automation: Automation, dedupKey: String, body: String) throws(StoreError) -> DeliveryAdmission {
        let admission = try store.admitNotification(automation: automation, dedupKey: dedupKey, body: body, receivedAt: clock.now())
        wake.signal()
        return admission
    }

    /// A verified webhook delivery (see `SchedulerStore.admitDelivery`).
    public func admitDelivery(
        automation: Automation, replayKeys: [String], body: String, debounce: AutomationDuration?,
        replayWindow: AutomationDuration = SchedulerStore.defaultReplayWindow
    ) throws(StoreError) -> DeliveryAdmission {
        let admission = try store.admitDelivery(
            automation: automation, replayKeys: replayKeys, body: body, receivedAt: clock.now(), debounce: debounce,
            replayWindow: replayWindow)
        wake.signal()
        return admission
    }
}

import PieAutomations
import PieScheduler
import PieWebhooks

/// The listener's verified deliveries, queued durably: the replay check, the debounce and the
/// new run in one store transaction (`SchedulerStore.admitDelivery`), then a wake of the loop.
struct StoreWebhookSink: WebhookSink {
    let sink: TriggerSink
    let automations: AutomationDirectory

    struct UnknownAutomation: Error, CustomStringConvertible {
        var id: AutomationID
        var description: String { "automation \(id) is no longer served; its file changed or was removed" }
    }

    func admit(_ delivery: VerifiedDelivery) async throws -> WebhookAdmission {
        guard let automation = automations[delivery.automationID] else { throw UnknownAutomation(id: delivery.automationID) }
        // The body is data for the run's fenced data block, never instructions; bytes that are
        // not UTF-8 are shown as U+FFFD there.
        let admission = try sink.admitDelivery(
            automation: automation, replayKeys: delivery.replayKeys.map(\.storageKey),
            body: String(decoding: delivery.body, as: UTF8.self),
            debounce: delivery.debounce.seconds > 0 ? AutomationDuration(seconds: delivery.debounce.seconds) : nil,
            replayWindow: AutomationDuration(seconds: delivery.replayWindow.seconds))
        switch admission {
        case .queued(let id): return .queued(runID: "\(id)")
        case .coalesced(let id): return .coalesced(runID: "\(id)")
        case .replayed: return .replayed
        }
    }
}

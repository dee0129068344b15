import PieAutomations
import Synchronization

/// Deliveries counted by automation and outcome since the listener started, for /metrics. Unknown
/// paths count under no automation, so a scanner cannot add label values at will.
public final class DeliveryCounters: Sendable {
    /// One counter: its automation (nil: no automation's path) and outcome.
    public struct Key: Sendable, Hashable {
        public var automationID: AutomationID?
        public var outcome: DeliveryOutcome
    }

    private let counts = Mutex<[Key: Int]>([:])

    public init() {}

    func record(_ outcome: DeliveryOutcome, automation: AutomationID?) {
        counts.withLock { $0[Key(automationID: automation, outcome: outcome), default: 0] += 1 }
    }

    /// Every non-zero counter.
    public func snapshot() -> [Key: Int] { counts.withLock { $0 } }
}

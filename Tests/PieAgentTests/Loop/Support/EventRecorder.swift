import PieAgent
import Synchronization

/// Collects the loop's events for assertions.
final class EventRecorder: Sendable {
    private let events = Mutex<[AgentEvent]>([])

    var all: [AgentEvent] { events.withLock { $0 } }

    /// Event names without `message_update`, whose count depends on how a reply was chunked.
    var names: [String] { all.map(\.name).filter { $0 != "message_update" } }

    var sink: @Sendable (AgentEvent) -> Void {
        { event in self.events.withLock { $0.append(event) } }
    }
}

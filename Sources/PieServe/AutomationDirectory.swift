import PieAutomations
import Synchronization

/// The automations a trigger source serves, by id, replaced whole on every reload: a delivery or
/// an event finds the automation as its file reads now.
final class AutomationDirectory: Sendable {
    private let byID = Mutex<[AutomationID: Automation]>([:])

    func replace(with automations: [Automation]) {
        byID.withLock { table in
            table = [:]
            for automation in automations { table[automation.id] = automation }
        }
    }

    subscript(id: AutomationID) -> Automation? {
        byID.withLock { $0[id] }
    }
}

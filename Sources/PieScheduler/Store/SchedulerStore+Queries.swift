import PieAutomations
import PieSystem

/// What `pie automations runs` and `logs` show.
extension SchedulerStore {
    /// The newest `limit` runs, of one automation id when given, newest first.
    public func runs(automationID: String?, limit: Int) throws(StoreError) -> [RunRecord] {
        try read { db throws(StoreQueryError) -> [RunRecord] in
            if let automationID {
                return try Self.runs(where: "automation_id = ? ORDER BY id DESC LIMIT ?", [automationID, limit], db: db)
            }
            return try Self.runs(where: "TRUE ORDER BY id DESC LIMIT ?", [limit], db: db)
        }
    }

    public func run(_ id: RunID) throws(StoreError) -> RunRecord? {
        try read { db throws(StoreQueryError) -> RunRecord? in try Self.run(id, db: db) }
    }

    /// How many runs are in each state.
    public func countsByState() throws(StoreError) -> [RunState: Int] {
        try read { db throws(StoreQueryError) -> [RunState: Int] in
            var counts: [RunState: Int] = [:]
            for row in try db.query("SELECT state, COUNT(*) FROM runs GROUP BY state", []) {
                if let state = RunState(rawValue: row.text(0) ?? "") { counts[state] = row.int(1) }
            }
            return counts
        }
    }

    /// The automations the store knows, with their next due time (for /metrics).
    public func automationStates() throws(StoreError) -> [AutomationState] {
        try read { db throws(StoreQueryError) -> [AutomationState] in
            let files = try db.query("SELECT file FROM automations ORDER BY file", []).compactMap { $0.text(0) }
            var states: [AutomationState] = []
            for file in files {
                if let state = try Self.state(file: file, db: db) { states.append(state) }
            }
            return states
        }
    }
}

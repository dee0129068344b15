import PieAutomations
import PieSystem

/// What `pie automations runs` and `logs` show.
extension SchedulerStore {
    /// The newest `limit` runs, of one automation id when given, newest first.
    public func runs(automationID: String? = nil, limit: Int = 50) throws(StoreError) -> [RunRecord] {
        try read { db throws(SQLiteError) -> [RunRecord] in
            if let automationID {
                return try Self.runs(where: "automation_id = ? ORDER BY id DESC LIMIT ?", [automationID, limit], db: db)
            }
            return try Self.runs(where: "1 ORDER BY id DESC LIMIT ?", [limit], db: db)
        }
    }

    public func run(_ id: RunID) throws(StoreError) -> RunRecord? {
        try read { db throws(SQLiteError) -> RunRecord? in try Self.run(id, db: db) }
    }

    /// How many runs are in each state.
    public func countsByState() throws(StoreError) -> [RunState: Int] {
        try read { db throws(SQLiteError) -> [RunState: Int] in
            let statement = try db.prepare("SELECT state, COUNT(*) FROM runs GROUP BY state")
            var counts: [RunState: Int] = [:]
            while try statement.step() {
                if let state = RunState(rawValue: statement.text(0) ?? "") { counts[state] = statement.int(1) }
            }
            return counts
        }
    }

    /// The automations the store knows, with their next due time (for /metrics).
    public func automationStates() throws(StoreError) -> [AutomationState] {
        try read { db throws(SQLiteError) -> [AutomationState] in
            let statement = try db.prepare("SELECT file FROM automations ORDER BY file")
            var files: [String] = []
            while try statement.step() { if let file = statement.text(0) { files.append(file) } }
            var states: [AutomationState] = []
            for file in files {
                if let state = try Self.state(file: file, db: db) { states.append(state) }
            }
            return states
        }
    }
}

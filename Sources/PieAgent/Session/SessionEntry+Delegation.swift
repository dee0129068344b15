import PieJSON

/// The link from a `task` call's result to the sub-agent session that holds its transcript, as
/// `TaskDetails` wrote it into the result's `details`: what `/tree` shows under the entry.
extension SessionEntry {
    public struct DelegatedSession: Sendable, Equatable {
        public var id: String
        public var path: String
        /// How the sub-agent ended (`completed`, `timed_out`, …).
        public var outcome: String

        public init(id: String, path: String, outcome: String) {
            (self.id, self.path, self.outcome) = (id, path, outcome)
        }
    }

    /// The sub-agent session this entry's `task` result names; nil for every other entry.
    public var delegatedSession: DelegatedSession? {
        guard role == "toolResult", let message, message["toolName"]?.stringValue == "task",
            let details = message["details"], let id = details["sessionId"]?.stringValue,
            let path = details["sessionPath"]?.stringValue
        else { return nil }
        return DelegatedSession(id: id, path: path, outcome: details["outcome"]?.stringValue ?? "")
    }
}

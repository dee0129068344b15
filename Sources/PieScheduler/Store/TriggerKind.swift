/// What created a run: the automation's clock trigger, an event source, or a person.
public enum TriggerKind: String, Sendable, CaseIterable {
    case cron, at, every
    /// `pie automations run ID`.
    case manual
    case file, command, webhook, mcp

    /// The kind a time-based trigger's ticks are recorded with; nil for event triggers.
    init?(clockTrigger kind: String) {
        guard ["cron", "at", "every"].contains(kind) else { return nil }
        self.init(rawValue: kind)
    }
}

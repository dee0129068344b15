import PieAutomations

/// What the store keeps about one automation between runs and restarts.
public struct AutomationState: Sendable, Equatable {
    /// The automation's file: its identity in the store.
    public var file: String
    public var id: String
    public var scope: String
    /// SHA-256 of the file's bytes when it was last loaded.
    public var fileHash: String
    public var enabled: Bool
    /// When the store first saw it: `every` counts from here, and no cron tick before it fires.
    public var anchor: Instant
    /// The newest tick claimed (run, skipped or passed over by `catch_up`).
    public var lastTick: Instant?
    public var nextDue: Instant?
    /// The session `session = "continue"` runs resume.
    public var sessionID: String?
}

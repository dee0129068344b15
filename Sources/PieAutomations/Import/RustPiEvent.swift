/// One of rust-pi's event files (`--events-dir`, one JSON object per file):
/// `{id, channel, prompt, schedule, enabled = true, created_unix_ms?}` with `schedule`
/// `{"type":"immediate"}`, `{"type":"at","at_unix_ms":…}` or
/// `{"type":"periodic","cron":"0 0/15 * * * * *","timezone":"UTC"}`.
public struct RustPiEvent: Sendable, Equatable {
    public enum Schedule: Sendable, Equatable {
        case immediate
        case at(unixMilliseconds: Int64)
        /// A 6- or 7-field expression of Rust's `cron` crate: seconds first, an optional year last.
        case periodic(cron: String, timezone: String)
    }

    public var id: String
    public var channel: String
    public var prompt: String
    public var schedule: Schedule
    public var enabled: Bool
    public var createdUnixMilliseconds: Int64?

    public init(
        id: String, channel: String, prompt: String, schedule: Schedule, enabled: Bool = true,
        createdUnixMilliseconds: Int64? = nil
    ) {
        (self.id, self.channel, self.prompt, self.schedule, self.enabled, self.createdUnixMilliseconds) =
            (id, channel, prompt, schedule, enabled, createdUnixMilliseconds)
    }
}

import PieAgent

/// Where a session keeps its jobs: beside the session file, named after it
/// (`2026-…_<uuid>.jsonl` → `2026-…_<uuid>.cron.toml` and `…triggers.json`), so a session and
/// its jobs move, resume and are deleted together.
public struct SessionJobFiles: Sendable, Equatable {
    public var cron: String
    public var triggers: String

    public init(sessionPath: String) {
        cron = SessionCompanionFiles.cron(of: sessionPath)
        triggers = SessionCompanionFiles.triggers(of: sessionPath)
    }

    public func path(of kind: SessionJobKind) -> String {
        kind == .cron ? cron : triggers
    }
}

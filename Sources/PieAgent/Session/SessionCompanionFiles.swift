/// The files interactive pie keeps beside a session file, named after it
/// (`<stem>.jsonl` → `<stem>.cron.toml`, `<stem>.triggers.json`; a name without `.jsonl` gets the
/// suffix appended). Named here, below every module that needs the names: the session jobs read
/// and write them, and the agent builder denies them to tools like the session file itself, since
/// a job written there would run later without the user's confirmation.
public enum SessionCompanionFiles {
    public static func cron(of sessionPath: String) -> String {
        stem(sessionPath) + ".cron.toml"
    }

    public static func triggers(of sessionPath: String) -> String {
        stem(sessionPath) + ".triggers.json"
    }

    private static func stem(_ path: String) -> String {
        path.hasSuffix(".jsonl") ? String(path.dropLast(".jsonl".count)) : path
    }
}

/// Turns one rust-pi event into the text of an automation file, checked by the same parser that
/// loads automation files, so an import never writes a file pie would refuse.
public enum EventImporter {
    public struct Imported: Sendable, Equatable {
        public var id: AutomationID
        public var text: String
    }

    /// rust-pi drops immediate events older than this (`--events-stale-immediate-max-age-seconds`,
    /// default 86,400); the import refuses them the same way.
    public static let staleImmediateSeconds: Int64 = 86_400

    /// An immediate event, or an `at` due while nobody ran rust-pi, becomes `at` this long after the
    /// import, so the user can still look at (or disable) the file before it runs.
    public static let immediateDelaySeconds: Int64 = 60

    public static func convert(
        _ event: RustPiEvent, file: String, model: ModelReference, scope: AutomationScope, context: ValidationContext
    ) -> Result<Imported, ImportRefusal> {
        guard let id = AutomationID(event.id) else {
            return .failure(.init("id '\(event.id)' is not a valid automation id (\(AutomationID.rule)); rename it in the event file"))
        }
        let trigger: [String]
        switch event.schedule {
        case .immediate:
            if let created = event.createdUnixMilliseconds,
                context.now.secondsSinceEpoch - created / 1000 > staleImmediateSeconds
            {
                return .failure(.init("an immediate event created more than a day ago: rust-pi would drop it as stale"))
            }
            let at = Instant(secondsSinceEpoch: context.now.secondsSinceEpoch + immediateDelaySeconds)
            trigger = ["at = \(TOMLText.quoted(RFC3339.format(at, in: .utc)))  # immediate in rust-pi: one minute after the import"]
        case .at(let milliseconds):
            let at = Instant(secondsSinceEpoch: milliseconds / 1000)
            guard at > context.now else {
                let time = RFC3339.format(at, in: .utc)
                return .failure(.init("its time \(time) has passed (rust-pi would run it at its next poll); run it by hand or edit at_unix_ms"))
            }
            trigger = ["at = \(TOMLText.quoted(RFC3339.format(at, in: .utc)))"]
        case .periodic(let cron, let timezone):
            switch RustPiCron.convert(cron) {
            case .failure(let refusal): return .failure(refusal)
            case .success(let converted):
                trigger = [
                    "cron = \(TOMLText.quoted(converted))  # rust-pi: \(TOMLText.quoted(cron))",
                    "timezone = \(TOMLText.quoted(timezone))",
                ]
            }
        }
        let lines =
            [
                "# Imported by `pie automations import` from rust-pi's \(TOMLText.quoted(file)).",
                "# rust-pi sent the output to channel \(TOMLText.quoted(event.channel)); pie records each run as a session.",
                "prompt = \(TOMLText.quoted(event.prompt))",
                "model = \(TOMLText.quoted(model.description))",
                "enabled = \(event.enabled)",
                "",
                "[trigger]",
            ] + trigger + [""]
        let text = lines.joined(separator: "\n")
        let check = AutomationParser.parse(text, path: file, id: id, scope: scope, context: context)
        guard check.automation != nil else {
            let problems = check.issues.filter { $0.severity == .error }.map { "\($0.field ?? "file"): \($0.message)" }
            return .failure(.init("it would not be a valid automation: \(problems.joined(separator: "; "))"))
        }
        return .success(Imported(id: id, text: text))
    }
}

import PieAutomations
import PieScheduler
import PieSessionJobs

/// `/cron` and `/triggers`: add, list, enable, disable and remove the session's jobs. Cron jobs
/// are added here; triggers come from the `schedule` tool (confirmed by the user) or by hand.
struct JobCommands {
    let jobs: InteractiveJobs

    func cron(_ argument: String) throws(PieExit) {
        let (word, rest) = Self.firstWord(argument)
        switch word {
        case "", "list":
            list(.cron)
        case "add":
            let (expression, prompt) = try Self.expressionAndPrompt(rest)
            let job = try attempt { () throws(SessionJobError) in
                let (trigger, _, _) = try jobs.store.rules.cron(expression, timezone: nil)
                return try jobs.store.add(trigger, prompt: prompt, origin: .user, fireOnce: false, now: jobs.clock.now())
            }
            print("added \(job.id): \(job.triggerText)\(nextText(job.id)) (\(jobs.store.snapshot.files?.cron ?? ""))")
        case "enable", "disable", "remove":
            try change(word, rest, kind: .cron)
        default:
            throw PieExit.usage("/cron: unknown subcommand '\(word)'; usage: \(SlashCommand.cron.usage)")
        }
    }

    func triggers(_ argument: String) throws(PieExit) {
        let (word, rest) = Self.firstWord(argument)
        switch word {
        case "", "list":
            list(.trigger)
        case "enable", "disable", "remove":
            try change(word, rest, kind: .trigger)
        default:
            throw PieExit.usage("/triggers: unknown subcommand '\(word)'; usage: \(SlashCommand.triggers.usage)")
        }
    }

    private func change(_ word: String, _ id: String, kind: SessionJobKind) throws(PieExit) {
        let command = kind == .cron ? "/cron" : "/triggers"
        guard !id.isEmpty, !id.contains(" ") else { throw PieExit.usage("usage: \(command) \(word) <id>") }
        guard SessionJobID.isValid(id, kind: kind) else {
            throw PieExit.usage("\(command) \(word): '\(id)' is not a \(kind == .cron ? "cron job" : "trigger") id (see \(command) list)")
        }
        switch word {
        case "remove":
            let job = try attempt { () throws(SessionJobError) in try jobs.store.remove(id) }
            jobs.queue.discard(id)
            print("removed \(job.id): \(job.triggerText)")
        default:
            let enabled = word == "enable"
            let job = try attempt { () throws(SessionJobError) in try jobs.store.setEnabled(id, enabled) }
            if !enabled { jobs.queue.discard(id) }
            print("\(word)d \(job.id): \(job.triggerText)\(enabled ? nextText(id) : "")")
        }
    }

    private func list(_ kind: SessionJobKind) {
        let snapshot = jobs.store.snapshot
        guard let files = snapshot.files else {
            print("this session is not saved (--no-session): it has no jobs")
            return
        }
        let listed = kind == .cron ? snapshot.cron : snapshot.triggers.map(\.job)
        guard !listed.isEmpty else {
            print(kind == .cron ? "no cron jobs; add one with /cron add \"0 9 * * *\" <prompt>" : "no triggers (the schedule tool adds them)")
            return
        }
        for job in listed {
            var line = "\(job.id)  \(job.enabled ? "on " : "off")  \(job.triggerText)"
            if job.enabled { line += nextText(job.id) }
            if let fired = job.firedAt { line += "  fired \(RFC3339.format(fired, in: zone))" }
            if case .at = job.trigger {} else if snapshot.fireOnce(job.id) { line += "  once" }
            line += "  (\(job.origin.rawValue))  \(Self.preview(job.prompt))"
            print(line)
        }
        print("(\(files.path(of: kind)))")
    }

    private var zone: TimeZoneRules {
        (try? TimeZoneRules.local(environment: jobs.store.rules.environment)) ?? .utc
    }

    private func nextText(_ id: String) -> String {
        jobs.ticker.next(of: id).map { "  next \(RFC3339.format($0, in: zone))" } ?? ""
    }

    private func attempt<T>(_ body: () throws(SessionJobError) -> T) throws(PieExit) -> T {
        do {
            return try body()
        } catch {
            throw PieExit(code: 1, message: error.description)
        }
    }

    static func preview(_ text: String) -> String {
        let line = text.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
        return line.count > 60 || line.count < text.count ? String(line.prefix(60)) + "…" : line
    }

    static func firstWord(_ text: String) -> (String, String) {
        let word = String(text.prefix { $0 != " " && $0 != "\t" })
        return (word, String(text.dropFirst(word.count)).trimmedWhitespace())
    }

    /// `"<expr>" <prompt>`, or `@macro <prompt>`: the expression quoted because it has spaces.
    static func expressionAndPrompt(_ text: String) throws(PieExit) -> (String, String) {
        let usage = "usage: /cron add \"<5-field expression or @macro>\" <prompt>, e.g. /cron add \"0 9 * * 1-5\" summarise new issues"
        let expression: String
        let rest: String
        if text.hasPrefix("\"") {
            let body = text.dropFirst()
            guard let close = body.firstIndex(of: "\"") else { throw PieExit.usage("/cron add: the expression's closing quote is missing; \(usage)") }
            expression = String(body[..<close])
            rest = String(body[body.index(after: close)...])
        } else if text.hasPrefix("@") {
            (expression, rest) = firstWord(text)
        } else {
            throw PieExit.usage("/cron add: put the expression in double quotes; \(usage)")
        }
        let prompt = rest.trimmedWhitespace()
        guard !prompt.isEmpty else { throw PieExit.usage("/cron add: the prompt is missing; \(usage)") }
        return (expression, prompt)
    }
}

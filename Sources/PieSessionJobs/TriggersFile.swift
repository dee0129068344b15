import PieAutomations
import PieJSON

/// `<session>.triggers.json`: c4pt0r/pie's `{"version":1,"rules":[…]}`, but each rule's trigger is
/// one of pie's automation triggers, so checking it needs no model call:
///
/// ```json
/// {"version": 1, "rules": [
///   {"id": "t1", "trigger": {"at": "2026-12-24T09:00:00+01:00"}, "prompt": "…", "enabled": true,
///    "fire_once": true, "fired_at": null, "origin": "model", "created_at": "2026-12-07T18:00:00Z"}
/// ]}
/// ```
///
/// `trigger` is `{"at": RFC3339}`, `{"every": "15m"}`, `{"file": {"path", "on"}}` or
/// `{"command": {"run", "every", "fire"}}`. Cron jobs live in the `.cron.toml` file instead. A rule
/// without `origin` was written by a person (pie always writes it), so it reads as `user`.
public enum TriggersFile {
    public static let version = 1
    static let ruleKeys = ["id", "trigger", "prompt", "enabled", "fire_once", "fired_at", "origin", "created_at"]

    /// A rule: its job, and whether it ends after firing once (always for `at`).
    public struct Rule: Sendable, Equatable {
        public var job: SessionJob
        public var fireOnce: Bool

        public init(job: SessionJob, fireOnce: Bool) {
            (self.job, self.fireOnce) = (job, fireOnce)
        }
    }

    public static func parse(_ bytes: [UInt8], path: String, rules: SessionJobRules) -> (rules: [Rule], issues: [AutomationIssue]) {
        let root: JSONValue
        do throws(JSONParseError) {
            root = try JSONParser.parseStrict(bytes)
        } catch {
            let line = error.offset.map { offset in 1 + bytes.prefix(offset).filter { $0 == UInt8(ascii: "\n") }.count }
            return ([], [
                AutomationIssue(
                    file: path, line: line, field: nil, message: "is not valid JSON: \(error.description)",
                    fix: "correct it; pie has not changed the file and runs none of its triggers until then")
            ])
        }
        var issues: [AutomationIssue] = []
        func problem(_ field: String?, _ message: String, _ fix: String) {
            issues.append(AutomationIssue(file: path, line: nil, field: field, message: message, fix: fix))
        }
        guard let object = root.objectValue else {
            problem(nil, "is not a JSON object", "write {\"version\": 1, \"rules\": [...]}")
            return ([], issues)
        }
        for key in object.keys where key != "version" && key != "rules" {
            problem(key, "unknown key '\(key)'", "the file holds only version and rules")
        }
        guard object["version"]?.intValue == version else {
            problem("version", "is not 1", "this pie reads version 1 only; a newer pie wrote the file")
            return ([], issues)
        }
        guard let array = object["rules"]?.arrayValue else {
            problem("rules", "is missing or not an array", "write \"rules\": [...]")
            return ([], issues)
        }
        var result: [Rule] = []
        var seen: Set<String> = []
        for (index, value) in array.enumerated() {
            var reader = RuleReader(index: index, rules: rules)
            if let rule = reader.rule(value), reader.problems.isEmpty {
                if seen.insert(rule.job.id).inserted {
                    result.append(rule)
                } else {
                    reader.fail("id", "the id '\(rule.job.id)' is used twice", "give each rule its own id")
                }
            }
            for (field, message, fix) in reader.problems { problem(field, message, fix) }
        }
        return (result, issues)
    }

    /// The file's bytes for `rules`, one member per line so a person can read and diff it.
    public static func render(_ rules: [Rule]) -> [UInt8] {
        let values = rules.map { rule -> JSONValue in
            let job = rule.job
            return .object(JSONObject([
                ("id", .string(job.id)),
                ("trigger", triggerJSON(job.trigger)),
                ("prompt", .string(job.prompt)),
                ("enabled", .bool(job.enabled)),
                ("fire_once", .bool(rule.fireOnce)),
                ("fired_at", job.firedAt.map { .string(RFC3339.format($0, in: .utc)) } ?? .null),
                ("origin", .string(job.origin.rawValue)),
                ("created_at", .string(RFC3339.format(job.created, in: .utc))),
            ]))
        }
        let root = JSONValue.object(JSONObject([("version", .integer(version)), ("rules", .array(values))]))
        return JSONWriter.bytes(root, pretty: true) + [UInt8(ascii: "\n")]
    }

    static func triggerJSON(_ trigger: AutomationTrigger) -> JSONValue {
        switch trigger {
        case .at(_, let text): .object(JSONObject([("at", .string(text))]))
        case .every(let interval): .object(JSONObject([("every", .string(interval.description))]))
        case .file(let path, let on):
            .object(JSONObject([("file", .object(JSONObject([("path", .string(path)), ("on", .string(on.rawValue))])))]))
        case .command(let run, let every, let fire):
            .object(JSONObject([
                ("command", .object(JSONObject([
                    ("run", .string(run)), ("every", .string(every.description)), ("fire", .string(fire.rawValue)),
                ]))),
            ]))
        case .cron, .webhook, .mcp: .null
        }
    }
}

/// Reads one rule, collecting every problem under `rules[N].field`.
private struct RuleReader {
    let index: Int
    let rules: SessionJobRules
    var problems: [(String, String, String)] = []

    init(index: Int, rules: SessionJobRules) {
        (self.index, self.rules) = (index, rules)
    }

    mutating func fail(_ field: String, _ message: String, _ fix: String) {
        problems.append(("rules[\(index)].\(field)", message, fix))
    }

    mutating func rule(_ value: JSONValue) -> TriggersFile.Rule? {
        guard let object = value.objectValue else {
            fail("", "is not an object", "write each rule as {\"id\": …, \"trigger\": …, \"prompt\": …}")
            return nil
        }
        for key in object.keys where !TriggersFile.ruleKeys.contains(key) {
            fail(key, "unknown key '\(key)'", "valid keys: \(TriggersFile.ruleKeys.joined(separator: ", "))")
        }
        let id = string(object, "id")
        if let id, !SessionJobID.isValid(id, kind: .trigger) {
            fail("id", "'\(id)' is not a trigger id", "write t followed by a number, e.g. \"t1\"")
        }
        let prompt = string(object, "prompt").flatMap { text -> String? in
            do throws(SessionJobError) {
                return try rules.prompt(text)
            } catch {
                fail("prompt", error.message, error.fix)
                return nil
            }
        }
        let trigger = object["trigger"].flatMap { self.trigger($0) }
        if object["trigger"] == nil { fail("trigger", "missing", "add \"trigger\": {\"at\": …} (or every, file, command)") }
        let enabled = bool(object, "enabled") ?? true
        let fireOnce = bool(object, "fire_once") ?? false
        let origin = string(object, "origin", required: false).flatMap { text -> SessionJob.Origin? in
            guard let origin = SessionJob.Origin(rawValue: text) else {
                fail("origin", "'\(text)' is not user or model", "write \"user\" or \"model\"")
                return nil
            }
            return origin
        } ?? .user
        let created = time(object, "created_at") ?? Instant(secondsSinceEpoch: 0)
        let firedAt = object["fired_at"]?.isNull == false ? time(object, "fired_at") : nil
        guard let id, let prompt, let trigger, problems.isEmpty else { return nil }
        let once: Bool
        if case .at = trigger { once = true } else { once = fireOnce }
        return TriggersFile.Rule(
            job: SessionJob(
                id: id, trigger: trigger, prompt: prompt, enabled: enabled, origin: origin, created: created, firedAt: firedAt),
            fireOnce: once)
    }

    private mutating func trigger(_ value: JSONValue) -> AutomationTrigger? {
        guard let object = value.objectValue, object.count == 1, let member = object.members.first else {
            fail("trigger", "must hold exactly one of at, every, file, command", "write e.g. {\"every\": \"15m\"}")
            return nil
        }
        let (kind, body) = (member.key, member.value)
        do throws(SessionJobError) {
            switch kind {
            case "at":
                guard let text = body.stringValue else { throw SessionJobError("at is not a string", fix: "write an RFC 3339 time") }
                do throws(RFC3339Error) {
                    return .at(try RFC3339.parse(text), text: text)
                } catch {
                    throw SessionJobError("at: \(error.description)", fix: "write an RFC 3339 time with its offset")
                }
            case "every":
                guard let text = body.stringValue else { throw SessionJobError("every is not a string", fix: AutomationDuration.rule) }
                return .every(try rules.interval(text, field: "every"))
            case "file":
                guard let file = body.objectValue, let path = file["path"]?.stringValue,
                    let on = file["on"]?.stringValue.flatMap(AutomationTrigger.FileEvent.init(rawValue:)), file.count == 2
                else {
                    throw SessionJobError(
                        "file must be {\"path\": …, \"on\": \"created\" | \"modified\" | \"deleted\"}", fix: "correct the rule")
                }
                return .file(path: try rules.filePath(path), on: on)
            case "command":
                guard let command = body.objectValue, let run = command["run"]?.stringValue,
                    let every = command["every"]?.stringValue,
                    command.keys.allSatisfy({ ["run", "every", "fire"].contains($0) })
                else {
                    throw SessionJobError(
                        "command must be {\"run\": …, \"every\": \"1m\", \"fire\": \"success\" | \"failure\" | \"change\"}",
                        fix: "correct the rule")
                }
                let fireText = command["fire"]?.stringValue ?? "success"
                guard let fire = AutomationTrigger.ProbeFire(rawValue: fireText) else {
                    throw SessionJobError("command fire '\(fireText)' is not success, failure or change", fix: "correct the rule")
                }
                return .command(run: try rules.command(run), every: try rules.interval(every, field: "every"), fire: fire)
            case "cron":
                throw SessionJobError("cron jobs belong in the session's .cron.toml", fix: "move it there with /cron add")
            default:
                throw SessionJobError("'\(kind)' is not a session trigger", fix: "use at, every, file or command")
            }
        } catch {
            fail("trigger", error.message, error.fix)
            return nil
        }
    }

    private mutating func string(_ object: JSONObject, _ key: String, required: Bool = true) -> String? {
        guard let value = object[key] else {
            if required { fail(key, "missing", "add \"\(key)\": \"…\"") }
            return nil
        }
        guard let text = value.stringValue else {
            fail(key, "is not a string", "write \"\(key)\": \"…\"")
            return nil
        }
        return text
    }

    private mutating func bool(_ object: JSONObject, _ key: String) -> Bool? {
        guard let value = object[key] else { return nil }
        guard let flag = value.boolValue else {
            fail(key, "is not true or false", "write \"\(key)\": true or false")
            return nil
        }
        return flag
    }

    private mutating func time(_ object: JSONObject, _ key: String) -> Instant? {
        guard let text = string(object, key, required: false) else { return nil }
        do throws(RFC3339Error) {
            return try RFC3339.parse(text)
        } catch {
            fail(key, error.description, "write an RFC 3339 time")
            return nil
        }
    }
}

import PiePolicy
import TOMLKit

/// Reads `[trigger]`: exactly one trigger kind, each with its own keys.
enum TriggerParser {
    static func parse(
        _ root: TOMLTable, scope: AutomationScope, context: ValidationContext, reader: inout FieldReader
    ) -> AutomationTrigger? {
        let section = "trigger"
        guard root["trigger"] != nil else {
            reader.error(
                section, "missing",
                fix: "add a [trigger] table with exactly one of: \(AutomationTrigger.kinds.joined(separator: ", "))")
            return nil
        }
        guard let table = reader.table(root, "trigger", in: nil, shape: "[trigger] with one of cron, at, every, …") else {
            return nil
        }
        let kinds = table.keys.filter { AutomationTrigger.kinds.contains($0) }
            .sorted { reader.lines.line("trigger.\($0)") < reader.lines.line("trigger.\($1)") }
        let unknown = table.keys.filter { !AutomationTrigger.kinds.contains($0) && $0 != "timezone" }
        let misplaced = unknown.filter { reader.misplaced["trigger.\($0)"] != nil }
        if !misplaced.isEmpty { reader.rejectUnknownKeys(table, known: table.keys.filter { !misplaced.contains($0) }, in: section) }
        for key in unknown.sorted() where !misplaced.contains(key) {
            let hint = Spelling.closest(to: key, among: AutomationTrigger.kinds).map { " (did you mean '\($0)'?)" } ?? ""
            reader.error(
                "trigger.\(key)", "unknown trigger kind '\(key)'\(hint)",
                fix: "use one of: \(AutomationTrigger.kinds.joined(separator: ", "))")
        }
        if table["timezone"] != nil, !kinds.contains("cron") {
            reader.error("trigger.timezone", "timezone applies only to a cron trigger", fix: "remove it, or use cron = \"…\"")
        }
        guard kinds.count == 1, let kind = kinds.first else {
            if kinds.count > 1 {
                reader.error(
                    "trigger.\(kinds[1])", "more than one trigger: \(kinds.joined(separator: ", "))",
                    fix: "keep exactly one; write another automation file for each other trigger")
            } else if unknown.count == misplaced.count {
                reader.error(
                    section, "no trigger",
                    fix: "add exactly one of: \(AutomationTrigger.kinds.joined(separator: ", "))")
            }
            return nil
        }
        let field = "trigger.\(kind)"
        switch kind {
        case "cron": return cron(table, context: context, reader: &reader)
        case "at": return at(table, context: context, reader: &reader)
        case "every": return reader.duration(table, "every", in: section).map(AutomationTrigger.every)
        case "file":
            guard let inner = reader.table(table, "file", in: section, shape: "{ path = \"…\", on = \"created\" }") else {
                return nil
            }
            return file(inner, field: field, scope: scope, context: context, reader: &reader)
        case "command":
            guard let inner = reader.table(table, "command", in: section, shape: "{ run = \"…\", every = \"1m\" }") else {
                return nil
            }
            return command(inner, field: field, reader: &reader)
        case "webhook":
            guard
                let inner = reader.table(
                    table, "webhook", in: section, shape: "{ path = \"/hooks/…\", secret_env = \"…\", signature = \"…\" }")
            else { return nil }
            return webhook(inner, field: field, context: context, reader: &reader)
        default:
            guard let inner = reader.table(table, "mcp", in: section, shape: "{ server = \"…\", method = \"…\" }") else {
                return nil
            }
            return mcp(inner, field: field, reader: &reader)
        }
    }

    private static func cron(
        _ table: TOMLTable, context: ValidationContext, reader: inout FieldReader
    ) -> AutomationTrigger? {
        guard let expression = reader.string(table, "cron", in: "trigger") else { return nil }
        var valid = true
        do throws(CronError) {
            _ = try CronSchedule.parse(expression)
        } catch {
            reader.error("trigger.cron", error.description, fix: "correct the expression (docs/automations.md, \"Cron\")")
            valid = false
        }
        let zone = reader.string(table, "timezone", in: "trigger")
        if let zone {
            do throws(TimeZoneError) {
                _ = try TimeZoneRules.named(zone, environment: context.environment)
            } catch {
                reader.error(
                    "trigger.timezone", error.description,
                    fix: "use an IANA name such as \"Europe/Berlin\" or \"UTC\", or remove timezone for local time")
                valid = false
            }
        }
        return valid ? .cron(expression: expression, timezone: zone) : nil
    }

    private static func at(_ table: TOMLTable, context: ValidationContext, reader: inout FieldReader) -> AutomationTrigger? {
        guard let value = table["at"] else { return nil }
        let text: String
        if value.type == .dateTime, let dateTime = value.dateTime {
            guard let offset = dateTime.offset else {
                reader.error("trigger.at", "a local date-time without an offset", fix: "add the offset, e.g. 2026-12-24T09:00:00+01:00")
                return nil
            }
            text = rfc3339(dateTime, offsetMinutes: offset.offset)
        } else if value.type == .string, let string = value.string {
            text = string
        } else {
            reader.mismatch("trigger.at", expected: "an RFC 3339 time such as \"2026-12-24T09:00:00+01:00\"", value)
            return nil
        }
        let instant: Instant
        do throws(RFC3339Error) {
            instant = try RFC3339.parse(text)
        } catch {
            reader.error(
                "trigger.at", error.description,
                fix: "write it like \"2026-12-24T09:00:00+01:00\" or \"2026-12-24T08:00:00Z\"")
            return nil
        }
        guard instant > context.now else {
            reader.error(
                "trigger.at", "'\(text)' is in the past, so it would never run",
                fix: "set a future time, or remove the automation")
            return nil
        }
        return .at(instant, text: text)
    }

    private static func file(
        _ table: TOMLTable, field: String, scope: AutomationScope, context: ValidationContext, reader: inout FieldReader
    ) -> AutomationTrigger? {
        reader.rejectUnknownKeys(table, known: ["path", "on"], in: field)
        let text = reader.requiredString(table, "path", in: field, meaning: "the file to watch")
        guard table["on"] != nil else {
            reader.error("\(field).on", "missing", fix: "add on = \"created\", \"modified\" or \"deleted\"")
            return nil
        }
        let event = reader.choice(table, "on", in: field, as: AutomationTrigger.FileEvent.self)
        guard let text, let event else { return nil }
        guard let path = FilePaths.resolve(text, scope: scope, context: context) else {
            reader.error(
                "\(field).path", "'\(text)' cannot be resolved",
                fix: "use an absolute path or one starting with ~/ (relative paths only in project automations)")
            return nil
        }
        return .file(path: path, on: event)
    }

    private static func command(_ table: TOMLTable, field: String, reader: inout FieldReader) -> AutomationTrigger? {
        reader.rejectUnknownKeys(table, known: ["run", "every", "fire"], in: field)
        let run = reader.requiredString(table, "run", in: field, meaning: "the probe command")
        guard table["every"] != nil else {
            reader.error("\(field).every", "missing", fix: "add every = \"1m\" (how often the probe runs)")
            return nil
        }
        let every = reader.duration(table, "every", in: field)
        let fire = table["fire"] == nil ? .success : reader.choice(table, "fire", in: field, as: AutomationTrigger.ProbeFire.self)
        guard let run, let every, let fire else { return nil }
        return .command(run: run, every: every, fire: fire)
    }

    private static func webhook(
        _ table: TOMLTable, field: String, context: ValidationContext, reader: inout FieldReader
    ) -> AutomationTrigger? {
        reader.rejectUnknownKeys(table, known: ["path", "secret_env", "signature", "debounce"], in: field)
        let path = reader.requiredString(table, "path", in: field, meaning: "the URL path, e.g. \"/hooks/deploy\"")
        if let path, !isWebhookPath(path) {
            reader.error(
                "\(field).path", "'\(path)' is not a plain URL path",
                fix: "start it with / and use only letters, digits and - _ . / (no query, no spaces)")
        }
        let secretEnv = reader.requiredString(
            table, "secret_env", in: field, meaning: "the name of the environment variable holding the shared secret")
        if let secretEnv, context.environment[secretEnv]?.isEmpty ?? true {
            let message = "the environment variable \(secretEnv) is not set, so no delivery could be verified"
            let fix = "export \(secretEnv) in the environment `pie automations serve` runs in"
            if context.purpose == .serve {
                reader.error("\(field).secret_env", message, fix: fix)
            } else {
                reader.warning("\(field).secret_env", message, fix: fix)
            }
        }
        guard table["signature"] != nil else {
            reader.error("\(field).signature", "missing", fix: "add signature = \"github-sha256\", \"slack-v0\" or \"hmac-sha256\"")
            return nil
        }
        let signature = reader.choice(table, "signature", in: field, as: AutomationTrigger.Signature.self)
        let debounce = reader.duration(table, "debounce", in: field)
        guard let path, isWebhookPath(path), let secretEnv, let signature, !reader.hasErrors else { return nil }
        return .webhook(.init(path: path, secretEnv: secretEnv, signature: signature, debounce: debounce))
    }

    private static func mcp(_ table: TOMLTable, field: String, reader: inout FieldReader) -> AutomationTrigger? {
        reader.rejectUnknownKeys(table, known: ["server", "method", "uri"], in: field)
        let server = reader.requiredString(table, "server", in: field, meaning: "the MCP server's name from mcp.toml")
        let method = reader.requiredString(table, "method", in: field, meaning: "the notification method, e.g. \"notifications/resources/updated\"")
        let uri = reader.string(table, "uri", in: field)
        guard let server, let method else { return nil }
        guard method.hasPrefix("notifications/"), method.count > "notifications/".count else {
            reader.error(
                "\(field).method", "'\(method)' is not a notification method",
                fix: "name one the server sends, e.g. \"notifications/resources/updated\" or \"notifications/tools/list_changed\"")
            return nil
        }
        if uri != nil, method != "notifications/resources/updated" {
            reader.error(
                "\(field).uri", "uri goes with notifications/resources/updated (the resource pie subscribes to)",
                fix: "remove uri, or set method = \"notifications/resources/updated\"")
            return nil
        }
        return .mcp(server: server, method: method, uri: uri)
    }

    /// An unquoted TOML offset date-time written back as RFC 3339 text (whole seconds).
    private static func rfc3339(_ value: TOMLDateTime, offsetMinutes: Int) -> String {
        func pad(_ number: Int, _ width: Int) -> String {
            let digits = String(number)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        let (date, time) = (value.date, value.time)
        let sign = offsetMinutes < 0 ? "-" : "+"
        let zone = offsetMinutes == 0
            ? "Z" : "\(sign)\(pad(abs(offsetMinutes) / 60, 2)):\(pad(abs(offsetMinutes) % 60, 2))"
        return "\(pad(date.year, 4))-\(pad(date.month, 2))-\(pad(date.day, 2))T"
            + "\(pad(time.hour, 2)):\(pad(time.minute, 2)):\(pad(time.second, 2))\(zone)"
    }

    private static func isWebhookPath(_ path: String) -> Bool {
        guard path.hasPrefix("/"), path.count <= 256, !path.contains("//"), !path.contains("/../"), !path.hasSuffix("/..")
        else { return false }
        return path.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "-_./".unicodeScalars.contains(scalar))
        }
    }
}

import PiePolicy
import TOMLKit

/// Typed reads of one hooks file's values that record every problem (with its line and field)
/// instead of stopping at the first, so one run reports all of a file's mistakes.
struct HookFieldReader {
    let file: String
    let lines: ArrayTableLines
    private(set) var issues: [HookIssue] = []

    init(file: String, lines: ArrayTableLines) {
        self.file = file
        self.lines = lines
    }

    mutating func hooks(_ root: TOMLTable, scope: HookScope) -> [Hook] {
        for key in root.keys where key != "hook" {
            let line = lines.topLevel[key] ?? 1
            if key == "allow_project_hooks" {
                issue(
                    line, key, "is not used by pie",
                    fix: "remove it: a project's .pie/hooks.toml runs once you trust it with `pie hooks trust`")
            } else {
                issue(line, key, "unknown key '\(key)'", fix: "hooks files hold only [[hook]] tables; remove it")
            }
        }
        guard let value = root["hook"] else { return [] }
        guard value.type == .array, let array = value.array else {
            issue(lines.topLevel["hook"] ?? 1, "hook", "expected [[hook]] tables, got \(TOMLValueDescription.describe(value))",
                fix: "write each hook as a [[hook]] table")
            return []
        }
        var hooks: [Hook] = []
        for (index, element) in array.enumerated() {
            guard element.type == .table, let table = element.table else {
                issue(
                    lines.line(element: index), "hook[\(index + 1)]", "expected a table",
                    fix: "write each hook as a [[hook]] table")
                continue
            }
            if let hook = self.hook(table, index: index, scope: scope) { hooks.append(hook) }
        }
        return hooks
    }

    private mutating func hook(_ table: TOMLTable, index: Int, scope: HookScope) -> Hook? {
        let before = issues.count
        let at = Location(index: index)
        for key in table.keys where !HookFileParser.keys.contains(key) {
            let hint = Spelling.closest(to: key, among: HookFileParser.keys).map { " (did you mean '\($0)'?)" } ?? ""
            error(at, key, "unknown key '\(key)'\(hint)",
                fix: "remove it or correct its spelling; valid keys: \(HookFileParser.keys.joined(separator: ", "))")
        }
        var event: HookEvent?
        if let name = string(table, "event", at) {
            event = HookEvent(rawValue: name)
            if event == nil {
                error(at, "event", "unknown event '\(name)'", fix: "use one of \(HookEvent.names)")
            }
        } else if table["event"] == nil {
            error(at, "event", "missing", fix: "add event = \"…\", one of \(HookEvent.names)")
        }
        let command = nonEmpty(table, "command", at)
        let webhook = nonEmpty(table, "webhook", at)
        if let webhook, !webhook.hasPrefix("http://"), !webhook.hasPrefix("https://"), !webhook.hasPrefix("${") {
            error(at, "webhook", "'\(webhook)' is not an http:// or https:// URL",
                fix: "write the full URL, or ${NAME} to take it from an environment variable")
        }
        if table["command"] == nil, table["webhook"] == nil {
            error(at, nil, "has neither command nor webhook",
                fix: "add command = \"…\" (run in the sandbox) or webhook = \"https://…\" (POSTed the payload)")
        }
        let headers = self.headers(table, at)
        if !headers.isEmpty, table["webhook"] == nil {
            error(at, "headers", "are only sent with a webhook", fix: "add webhook = \"https://…\" or remove headers")
        }
        let timeout = integer(table, "timeout_ms", at, range: HookFileParser.timeoutRange)
        let enabled = bool(table, "enabled", at)
        let tool = nonEmpty(table, "tool", at)
        if tool != nil, let event, !event.concernsTool {
            error(at, "tool", "filters tool calls, but \(event.rawValue) concerns no single call",
                fix: "remove it, or use it with tool_start, tool_end, pre_tool or approval_needed")
        }
        var onFailure: HookFailurePolicy?
        if let name = string(table, "on_failure", at) {
            onFailure = HookFailurePolicy(rawValue: name)
            if onFailure == nil {
                error(at, "on_failure", "'\(name)' is not a failure policy", fix: "use warn, ignore or (pre_tool only) deny")
            } else if onFailure == .deny, let event, !event.blocks {
                error(at, "on_failure", "deny needs an event that can block a call; \(event.rawValue) cannot",
                    fix: "use warn or ignore, or event = \"pre_tool\"")
            }
        }
        var directory = HookDirectory.project
        if let name = string(table, "cwd", at) {
            if let known = HookDirectory(rawValue: name) {
                directory = known
            } else if name == "pie" {
                error(at, "cwd", "pie's state directory is hidden from sandboxed commands, hooks included",
                    fix: "use cwd = \"project\" or \"home\"")
            } else {
                error(at, "cwd", "'\(name)' is not a hook directory", fix: "use project or home")
            }
        }
        guard issues.count == before, let event else { return nil }
        return Hook(
            event: event, command: command, webhook: webhook, headers: headers,
            timeoutMs: timeout ?? Hook.defaultTimeoutMs, enabled: enabled ?? true, tool: tool, onFailure: onFailure,
            directory: directory,
            origin: HookOrigin(file: file, index: index + 1, line: lines.line(element: index), scope: scope))
    }

    /// Which `[[hook]]` a value belongs to (0-based).
    private struct Location {
        var index: Int
    }

    private mutating func error(_ at: Location, _ key: String?, _ message: String, fix: String) {
        let field = "hook[\(at.index + 1)]" + (key.map { ".\($0)" } ?? "")
        issue(lines.line(element: at.index, key: key), field, message, fix: fix)
    }

    private mutating func issue(_ line: Int, _ field: String?, _ message: String, fix: String) {
        issues.append(HookIssue(file: file, line: line, field: field, message: message, fix: fix))
    }

    private mutating func string(_ table: TOMLTable, _ key: String, _ at: Location) -> String? {
        guard let value = table[key] else { return nil }
        guard value.type == .string, let text = value.string else {
            error(at, key, "expected a string in quotes, got \(TOMLValueDescription.describe(value))", fix: "write \(key) = \"…\"")
            return nil
        }
        return text
    }

    private mutating func nonEmpty(_ table: TOMLTable, _ key: String, _ at: Location) -> String? {
        guard let text = string(table, key, at) else { return nil }
        guard text.contains(where: { !$0.isWhitespace }) else {
            error(at, key, "is empty", fix: "write a value or remove the key")
            return nil
        }
        return text
    }

    private mutating func bool(_ table: TOMLTable, _ key: String, _ at: Location) -> Bool? {
        guard let value = table[key] else { return nil }
        guard value.type == .bool, let flag = value.bool else {
            error(at, key, "expected true or false, got \(TOMLValueDescription.describe(value))", fix: "write \(key) = true or false")
            return nil
        }
        return flag
    }

    private mutating func integer(_ table: TOMLTable, _ key: String, _ at: Location, range: ClosedRange<Int>) -> Int? {
        guard let value = table[key] else { return nil }
        guard value.type == .int, let number = value.int else {
            error(at, key, "expected a whole number of milliseconds, got \(TOMLValueDescription.describe(value))",
                fix: "write a number in \(range.lowerBound)...\(range.upperBound)")
            return nil
        }
        guard range.contains(number) else {
            error(at, key, "\(number) is out of range", fix: "use a number in \(range.lowerBound)...\(range.upperBound)")
            return nil
        }
        return number
    }

    private mutating func headers(_ table: TOMLTable, _ at: Location) -> [HookHeader] {
        guard let value = table["headers"] else { return [] }
        guard value.type == .table, let inner = value.table else {
            error(at, "headers", "expected a table of strings, got \(TOMLValueDescription.describe(value))",
                fix: "write headers = { Authorization = \"Bearer ${TOKEN}\" }")
            return []
        }
        var headers: [HookHeader] = []
        for key in inner.keys {
            guard let header = inner[key], header.type == .string, let text = header.string else {
                error(at, "headers", "the header '\(key)' is not a string", fix: "write \(key) = \"…\"")
                continue
            }
            guard Self.isToken(key), !text.contains(where: { $0 == "\r" || $0 == "\n" }) else {
                error(at, "headers", "the header '\(key)' has a name or value HTTP cannot carry",
                    fix: "use letters, digits and - in names, and no line breaks in values")
                continue
            }
            headers.append(HookHeader(name: key, value: text))
        }
        return headers
    }

    /// An HTTP header name (RFC 9110's token characters).
    private static func isToken(_ name: String) -> Bool {
        !name.isEmpty
            && name.unicodeScalars.allSatisfy { scalar in
                scalar.isASCII
                    && (("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                        || "!#$%&'*+-.^_`|~".unicodeScalars.contains(scalar))
            }
    }

}

import PiePolicy
import PieJSON

/// The JSON shapes of `pie automations … --json` (docs/automations.md, "JSON output"): keys in a
/// fixed order, every setting spelled as in the file, defaults filled in.
extension Automation {
    public func json(shadowed: Bool) -> JSONValue {
        let run: [(String, JSONValue)] = [
            ("overlap", .string(self.run.overlap.rawValue)),
            ("catch_up", .string(self.run.catchUp.rawValue)),
            ("max_turns", .number(Double(self.run.maxTurns))),
            ("timeout", .string(self.run.timeout.description)),
            ("max_cost", self.run.maxCost.map(JSONValue.number) ?? .null),
            ("max_tokens", self.run.maxTokens.map { JSONValue.number(Double($0)) } ?? .null),
            ("retries", .number(Double(self.run.retries))),
            ("backoff", .string(self.run.backoff.description)),
            ("session", .string(self.run.session.rawValue)),
            ("approval_timeout", .string(self.run.approvalTimeout.description)),
        ]
        return .object(JSONObject([
            ("id", .string(id.rawValue)),
            ("scope", .string(scope.rawValue)),
            ("path", .string(path)),
            ("shadowed", .bool(shadowed)),
            ("enabled", .bool(enabled)),
            ("prompt", .string(prompt)),
            ("model", .string(model.description)),
            ("fallback_models", .array(fallbackModels.map { .string($0.description) })),
            ("tool_policy_preset", .string(toolPolicyPreset.rawValue)),
            ("tool_policy_profile", toolPolicyProfile.map(JSONValue.string) ?? .null),
            ("trigger", trigger.json),
            ("run", .object(JSONObject(run))),
        ]))
    }
}

extension AutomationTrigger {
    public var json: JSONValue {
        var members: [(String, JSONValue)] = [("kind", .string(kind))]
        switch self {
        case .cron(let expression, let timezone):
            members += [("cron", .string(expression)), ("timezone", timezone.map(JSONValue.string) ?? .null)]
        case .at(_, let text):
            members.append(("at", .string(text)))
        case .every(let interval):
            members.append(("every", .string(interval.description)))
        case .file(let path, let on):
            members += [("path", .string(path)), ("on", .string(on.rawValue))]
        case .command(let run, let every, let fire):
            members += [("run", .string(run)), ("every", .string(every.description)), ("fire", .string(fire.rawValue))]
        case .webhook(let webhook):
            members += [
                ("path", .string(webhook.path)), ("secret_env", .string(webhook.secretEnv)),
                ("signature", .string(webhook.signature.rawValue)),
                ("debounce", webhook.debounce.map { .string($0.description) } ?? .null),
            ]
        case .mcp(let server, let method, let uri):
            members += [("server", .string(server)), ("method", .string(method)), ("uri", uri.map(JSONValue.string) ?? .null)]
        }
        return .object(JSONObject(members))
    }

    /// One line for humans: `cron "30 2 * * 1-5" (Europe/Berlin)`, `file ~/build.done created`.
    public var summary: String {
        switch self {
        case .cron(let expression, let timezone): "cron \"\(expression)\" (\(timezone ?? "local time"))"
        case .at(_, let text): "at \(text)"
        case .every(let interval): "every \(interval)"
        case .file(let path, let on): "file \(path) \(on.rawValue)"
        case .command(let run, let every, let fire): "command \"\(run)\" every \(every), fires on \(fire.rawValue)"
        case .webhook(let webhook): "webhook \(webhook.path) (\(webhook.signature.rawValue))"
        case .mcp(let server, let method, let uri): "mcp \(server) \(method)\(uri.map { " \($0)" } ?? "")"
        }
    }
}

extension AutomationIssue {
    public var json: JSONValue {
        .object(JSONObject([
            ("severity", .string(severity.rawValue)),
            ("file", .string(file)),
            ("line", line.map { JSONValue.number(Double($0)) } ?? .null),
            ("field", field.map(JSONValue.string) ?? .null),
            ("message", .string(message)),
            ("fix", .string(fix)),
        ]))
    }
}

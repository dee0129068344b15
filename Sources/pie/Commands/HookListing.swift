import PieHooks
import PieJSON
import PiePolicy

/// How `pie hooks list` and `trust` show a hooks file: where it is, whether it takes effect, and
/// each hook (a webhook by its host only: its path is often the secret).
enum HookListing {
    static func text(_ file: HookFileState) -> String {
        var out = "\(file.scope.rawValue): \(file.path)"
        guard file.contents != nil else { return out + " (none)\n" }
        out += " (\(status(file)))\n"
        switch file.parsed {
        case .failure(let error):
            for issue in error.issues { out += "  error: \(issue)\n" }
        case .success(let hooks):
            if hooks.isEmpty { out += "  no hooks\n" }
            for hook in hooks {
                var line = "  [\(hook.origin.index)] line \(hook.origin.line): \(hook.event.rawValue)"
                if let tool = hook.tool { line += " tool=\(tool)" }
                if let command = hook.command { line += " command: \(command)" }
                if let webhook = hook.webhook { line += " webhook: \(WebhookHost.of(webhook))" }
                line += " (timeout \(hook.timeoutMs) ms, on_failure \(hook.onFailure.rawValue), cwd \(hook.directory.rawValue)"
                line += hook.enabled ? ")" : ", disabled)"
                out += line + "\n"
            }
        case nil:
            break
        }
        return out
    }

    static func json(_ file: HookFileState) -> JSONValue {
        var object = JSONObject()
        object["path"] = .string(file.path)
        object["scope"] = .string(file.scope.rawValue)
        object["exists"] = .bool(file.contents != nil)
        if file.contents != nil { object["status"] = .string(status(file)) }
        switch file.parsed {
        case .failure(let error):
            object["errors"] = .array(error.issues.map { issue in
                .object(JSONObject([
                    ("line", .integer(issue.line)), ("field", issue.field.map(JSONValue.string) ?? .null),
                    ("message", .string(issue.message)), ("fix", .string(issue.fix)),
                ]))
            })
        case .success(let hooks):
            object["hooks"] = .array(hooks.map { hook in
                var item = JSONObject()
                item["index"] = .integer(hook.origin.index)
                item["line"] = .integer(hook.origin.line)
                item["event"] = .string(hook.event.rawValue)
                if let command = hook.command { item["command"] = .string(command) }
                if let webhook = hook.webhook { item["webhook_host"] = .string(WebhookHost.of(webhook)) }
                if !hook.headers.isEmpty { item["headers"] = .array(hook.headers.map { .string($0.name) }) }
                item["timeout_ms"] = .integer(hook.timeoutMs)
                item["enabled"] = .bool(hook.enabled)
                if let tool = hook.tool { item["tool"] = .string(tool) }
                item["on_failure"] = .string(hook.onFailure.rawValue)
                item["cwd"] = .string(hook.directory.rawValue)
                return .object(item)
            })
        case nil:
            break
        }
        return .object(object)
    }

    /// `active`, `has errors`, or for a project file `not trusted` / `changed since trusted`.
    static func status(_ file: HookFileState) -> String {
        if case .failure = file.parsed { return "has errors: no hook runs" }
        guard file.scope == .project else { return "active" }
        switch file.trust {
        case .trusted?: return "trusted, active"
        case .changed?: return "changed since trusted: no hook runs until `pie hooks trust`"
        default: return "not trusted: no hook runs until `pie hooks trust`"
        }
    }
}

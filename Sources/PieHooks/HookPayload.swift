import PieJSON
import PieSystem

/// The JSON a hook receives (the `PIE_HOOK_PAYLOAD` file, a webhook's body), with c4pt0r/pie's
/// field names: `event`, `session_id`, `cwd`, `model_provider`, `model_id`, `thinking_level`, then the event's own
/// fields (`tool_call_id`, `tool_name`, `tool_is_error`, `tool_args`, `tool_result_summary`, …)
/// and `text`, one line for chat webhooks (Slack shows it as the message). Built with PieJSON only.
public struct HookPayload: Sendable, Equatable {
    public let event: HookEvent
    public private(set) var fields: JSONObject

    /// Summaries (a tool's result, a reply, a compaction) are cut to this many characters.
    public static let summaryLimit = 2000
    /// `tool_args` larger than this (as JSON text) is sent as truncated text with
    /// `tool_args_truncated: true`: the payload travels inside the hook's command line.
    public static let argumentsLimit = 32 * 1024

    public init(event: HookEvent, session: HookSessionInfo) {
        self.event = event
        var fields = JSONObject()
        fields["event"] = .string(event.rawValue)
        fields["session_id"] = .string(session.sessionID)
        fields["cwd"] = .string(session.cwd)
        fields["model_provider"] = .string(session.modelProvider)
        fields["model_id"] = .string(session.modelID)
        fields["thinking_level"] = .string(session.thinkingLevel)
        self.fields = fields
    }

    public subscript(key: String) -> JSONValue? {
        get { fields[key] }
        set { fields[key] = newValue }
    }

    /// The call's fields: `tool_call_id`, `tool_name`, `tool_args` (the arguments as the model
    /// sent them, capped), and when it has ended `tool_is_error` and `tool_result_summary`.
    public mutating func setTool(callID: String, name: String, arguments: JSONValue) {
        fields["tool_call_id"] = .string(callID)
        fields["tool_name"] = .string(name)
        let text = JSONWriter.string(arguments)
        if text.utf8.count > Self.argumentsLimit {
            fields["tool_args"] = .string(String(TextPrefix.within(text, bytes: Self.argumentsLimit)))
            fields["tool_args_truncated"] = .bool(true)
        } else {
            fields["tool_args"] = arguments
            fields["tool_args_truncated"] = nil
        }
    }

    public mutating func setResult(isError: Bool, text: String) {
        fields["tool_is_error"] = .bool(isError)
        fields["tool_result_summary"] = .string(Self.summary(text))
    }

    /// Marks a sub-agent's payload: `parent_session_id` and `parent_tool_call_id` (the `task`
    /// call that started it). A parent's own payloads have neither.
    public mutating func setParent(_ parent: HookParent) {
        fields["parent_session_id"] = .string(parent.sessionID)
        fields["parent_tool_call_id"] = .string(parent.toolCallID)
    }

    public var toolName: String? { fields["tool_name"]?.stringValue }

    /// The payload as sent: secrets replaced in every string, `text` last.
    public func json(redactor: SecretRedactor) -> JSONValue {
        var object = fields
        object["text"] = .string(headline)
        return Self.redact(.object(object), with: redactor)
    }

    /// The `PIE_*` variables a command hook gets besides `PIE_HOOK_EVENT` and `PIE_HOOK_PAYLOAD`.
    public func environment(redactor: SecretRedactor) -> [(name: String, value: String)] {
        var variables: [(String, String)] = []
        func add(_ name: String, _ key: String) {
            guard let value = fields[key] else { return }
            if let text = value.stringValue {
                variables.append((name, redactor.redact(text)))
            } else if let flag = value.boolValue {
                variables.append((name, flag ? "true" : "false"))
            } else if let number = value.intValue {
                variables.append((name, String(number)))
            }
        }
        add("PIE_SESSION_ID", "session_id")
        add("PIE_CWD", "cwd")
        add("PIE_MODEL_PROVIDER", "model_provider")
        add("PIE_MODEL_ID", "model_id")
        add("PIE_THINKING_LEVEL", "thinking_level")
        add("PIE_TOOL_NAME", "tool_name")
        add("PIE_TOOL_CALL_ID", "tool_call_id")
        add("PIE_TOOL_IS_ERROR", "tool_is_error")
        add("PIE_PARENT_SESSION_ID", "parent_session_id")
        add("PIE_PARENT_TOOL_CALL_ID", "parent_tool_call_id")
        add("PIE_AUTOMATION_ID", "automation_id")
        add("PIE_RUN_ID", "run_id")
        return variables
    }

    /// One line saying what happened, for people (Slack's `text`).
    var headline: String {
        var line = "pie \(event.rawValue)"
        if let automation = fields["automation_id"]?.stringValue {
            line += " · automation \(automation)"
            if let run = fields["run_id"] { line += " run \(JSONWriter.string(run))" }
        }
        if let call = fields["parent_tool_call_id"]?.stringValue { line += " · sub-agent of call \(call)" }
        if let tool = toolName { line += " · \(tool)" }
        if fields["tool_is_error"]?.boolValue == true { line += " (error)" }
        if let state = fields["run_state"]?.stringValue { line += " · \(state)" }
        if let cwd = fields["cwd"]?.stringValue { line += " · \(cwd)" }
        return line
    }

    /// `text` cut to `summaryLimit` characters, saying how much was left out.
    public static func summary(_ text: String) -> String {
        guard text.count > summaryLimit else { return text }
        return String(text.prefix(summaryLimit)) + "…[\(text.count - summaryLimit) more characters]"
    }

    private static func redact(_ value: JSONValue, with redactor: SecretRedactor) -> JSONValue {
        guard !redactor.isEmpty else { return value }
        switch value {
        case .string(let text): return .string(redactor.redact(text))
        case .array(let items): return .array(items.map { redact($0, with: redactor) })
        case .object(let object):
            return .object(JSONObject(object.map { ($0.key, redact($0.value, with: redactor)) }))
        default: return value
        }
    }
}

import PieJSON

/// What an audit record of `event: hook` says about one lifecycle hook run (docs/hooks.md): which
/// hook (its file and position), what it ran (a command, or only the host of a webhook: a webhook
/// URL's path and query often carry its secret) and how it ended. Typed, so the log's readers
/// never guess at string-keyed details.
public struct AuditHookRun: Sendable, Equatable {
    /// How a hook run ended.
    public enum Outcome: String, Sendable, Equatable {
        /// Exit 0, or a 2xx answer.
        case ok
        /// A `pre_tool` hook exited 2: the call was denied with its stderr as the reason.
        case denied
        /// Any other exit status, a non-2xx answer, or a run that could not start.
        case failed
        /// Killed at its `timeout_ms`.
        case timedOut = "timed_out"
    }

    /// The hook event, e.g. `pre_tool`, `agent_end`.
    public var event: String
    /// The hooks file the hook was read from.
    public var source: String
    /// The hook's 1-based position among the file's `[[hook]]` tables.
    public var index: Int
    /// The command, for a command hook.
    public var command: String?
    /// The webhook's host, for a webhook hook.
    public var webhookHost: String?
    public var outcome: Outcome
    /// The HTTP status a webhook answered with.
    public var httpStatus: Int?

    public init(
        event: String, source: String, index: Int, command: String? = nil, webhookHost: String? = nil, outcome: Outcome,
        httpStatus: Int? = nil
    ) {
        self.event = event
        self.source = source
        self.index = index
        self.command = command
        self.webhookHost = webhookHost
        self.outcome = outcome
        self.httpStatus = httpStatus
    }

    /// The `hook` member of the record, in a fixed key order (the line is hashed as written).
    var json: JSONValue {
        var object = JSONObject()
        object["event"] = .string(event)
        object["source"] = .string(source)
        object["index"] = .integer(index)
        if let command { object["command"] = .string(command) }
        if let webhookHost { object["webhook_host"] = .string(webhookHost) }
        object["outcome"] = .string(outcome.rawValue)
        if let httpStatus { object["http_status"] = .integer(httpStatus) }
        return .object(object)
    }

    /// Reads the `hook` member back; nil when a field is missing or an outcome unknown.
    init?(json value: JSONValue) {
        guard let event = value["event"]?.stringValue, let source = value["source"]?.stringValue,
            let index = value["index"]?.intValue,
            let outcome = value["outcome"]?.stringValue.flatMap(Outcome.init(rawValue:))
        else { return nil }
        self.init(
            event: event, source: source, index: index, command: value["command"]?.stringValue,
            webhookHost: value["webhook_host"]?.stringValue, outcome: outcome, httpStatus: value["http_status"]?.intValue)
    }
}

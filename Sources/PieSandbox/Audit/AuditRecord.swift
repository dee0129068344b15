import PieJSON

/// What the gate answered for a call, as the log spells it: `ask` is a call the policy holds
/// until a person approves it (the `approval` record that follows says who answered and how). A
/// decision pie cannot read makes a record unreadable, never an allow.
public enum AuditDecision: String, Sendable, Equatable {
    case allow, ask, deny
}

/// Who answered an `ask`, in the `approval` record: a person at the terminal (`user`), a person
/// with `pie automations approve|deny` (`command`), the automation's `approval_timeout`
/// (`timeout`, always a deny), or nobody, where no one can be asked (`pie -p`, `pie tool`: a deny).
public enum ApprovalSource: String, Sendable, Equatable {
    case user, command, timeout, nobody
}

/// One line of the audit log: written when a tool call is decided and again when it completes.
///
/// Field order is fixed (it is the order of `encodedBody`), which keeps lines byte-stable and
/// hashable: integers print without a fraction and strings are quoted by `JSONEscaper`, so tool
/// output is always an escaped string value and can never splice structure into the log. Optional
/// fields are omitted when nil. See docs/audit.md for the schema.
public struct AuditRecord: Sendable, Equatable {
    public enum Event: String, Sendable, Equatable {
        /// `approval` follows a `decision` of `ask`: `decision` is the answer (allow or deny) and
        /// `approver` who gave it. `hook` records one lifecycle hook run (`hook` holds what ran).
        case decision, approval, completion, hook
    }

    /// Position in the log, 1-based; assigned by `AuditLog.append`.
    public var sequence: Int
    /// UTC, ISO-8601 with milliseconds; assigned by `AuditLog.append` when empty.
    public var time: String
    public var event: Event
    public var session: String
    public var callID: String
    /// The `task` call whose sub-agent made this call; nil for the calls of the top-level agent.
    public var parentCall: String?
    public var tool: String
    /// The call's arguments as text (redacted and capped by the writer); always a JSON string value.
    public var arguments: String
    public var requestedPath: String?
    public var resolvedPath: String?
    public var decision: AuditDecision
    /// The rule that decided, e.g. `allowed`, `path.deny`, `max_command_length`.
    public var rule: String
    public var reason: String?
    /// Who answered, on `approval` records.
    public var approver: ApprovalSource?
    /// The containment actually used, for shell completions.
    public var sandbox: SandboxUsed?
    public var warnings: [String]
    /// On shell completions: what the command planted and pie moved away (`ConfigurationSweep`).
    public var quarantined: [QuarantinedEntry]
    public var exitCode: Int?
    public var timedOut: Bool?
    public var durationMs: Int?
    public var bytesIn: Int?
    public var bytesOut: Int?
    /// Tool output (redacted and capped), stored as an escaped JSON string.
    public var output: String?
    /// On `hook` records: which hook ran and how it ended.
    public var hook: AuditHookRun?
    /// On the records of an MCP tool call: its server and tool.
    public var mcp: AuditMCPTarget?
    /// Hash of the previous record (64 zeros for the first); assigned by `AuditLog.append`.
    public var previousHash: String
    /// SHA-256 of this line without its `hash` field; assigned by `AuditLog.append`.
    public var hash: String

    public static let genesisHash = String(repeating: "0", count: 64)

    public init(
        event: Event, session: String, callID: String, tool: String, arguments: String, decision: AuditDecision,
        rule: String, reason: String? = nil, approver: ApprovalSource? = nil, requestedPath: String? = nil,
        resolvedPath: String? = nil, sandbox: SandboxUsed? = nil, warnings: [String] = [], exitCode: Int? = nil, timedOut: Bool? = nil,
        durationMs: Int? = nil, bytesIn: Int? = nil, bytesOut: Int? = nil, output: String? = nil,
        hook: AuditHookRun? = nil, mcp: AuditMCPTarget? = nil, parentCall: String? = nil,
        quarantined: [QuarantinedEntry] = []
    ) {
        self.sequence = 0
        self.time = ""
        self.event = event
        self.session = session
        self.callID = callID
        self.parentCall = parentCall
        self.tool = tool
        self.arguments = arguments
        self.requestedPath = requestedPath
        self.resolvedPath = resolvedPath
        self.decision = decision
        self.rule = rule
        self.reason = reason
        self.approver = approver
        self.sandbox = sandbox
        self.warnings = warnings
        self.quarantined = quarantined
        self.exitCode = exitCode
        self.timedOut = timedOut
        self.durationMs = durationMs
        self.bytesIn = bytesIn
        self.bytesOut = bytesOut
        self.output = output
        self.hook = hook
        self.mcp = mcp
        self.previousHash = Self.genesisHash
        self.hash = ""
    }

    /// The JSON object without the `hash` field; its SHA-256 is the record's hash.
    var encodedBody: String {
        var json = JSONObject()
        func field(_ key: String, _ value: String?) { if let value { json[key] = .string(value) } }
        func field(_ key: String, _ value: Int?) { if let value { json[key] = .integer(value) } }
        func field(_ key: String, _ value: Bool?) { if let value { json[key] = .bool(value) } }
        field("v", 1)
        field("seq", sequence)
        field("time", time)
        field("event", event.rawValue)
        field("session", session)
        field("call", callID)
        field("parent_call", parentCall)
        field("tool", tool)
        field("args", arguments)
        field("requested_path", requestedPath)
        field("resolved_path", resolvedPath)
        field("decision", decision.rawValue)
        field("rule", rule)
        field("reason", reason)
        field("approver", approver?.rawValue)
        field("sandbox", sandbox?.rawValue)
        if !warnings.isEmpty { json["warnings"] = .array(warnings.map(JSONValue.string)) }
        if !quarantined.isEmpty { json["quarantined"] = .array(quarantined.map(\.json)) }
        field("exit_code", exitCode)
        field("timed_out", timedOut)
        field("duration_ms", durationMs)
        field("bytes_in", bytesIn)
        field("bytes_out", bytesOut)
        field("output", output)
        if let hook { json["hook"] = hook.json }
        if let mcp { json["mcp"] = mcp.json }
        field("prev", previousHash)
        return JSONWriter.string(.object(json))
    }

    /// The full line (without newline): the body with `"hash"` appended as the last field.
    var encodedLine: String {
        String(encodedBody.dropLast()) + ",\"hash\":\"" + hash + "\"}"
    }

    /// Rebuilds a record from a parsed line; nil when a required field is missing.
    init?(json value: JSONValue) {
        guard case .object(let fields) = value,
            let sequence = fields["seq"]?.intValue, let time = fields["time"]?.stringValue,
            let event = fields["event"]?.stringValue.flatMap(Event.init(rawValue:)),
            let session = fields["session"]?.stringValue, let call = fields["call"]?.stringValue,
            let tool = fields["tool"]?.stringValue, let arguments = fields["args"]?.stringValue,
            let decision = fields["decision"]?.stringValue.flatMap(AuditDecision.init(rawValue:)), let rule = fields["rule"]?.stringValue,
            let previous = fields["prev"]?.stringValue, let hash = fields["hash"]?.stringValue
        else { return nil }
        // A sandbox pie does not know makes the record unreadable, like a missing field.
        var sandbox: SandboxUsed?
        if let name = fields["sandbox"]?.stringValue {
            guard let known = SandboxUsed(rawValue: name) else { return nil }
            sandbox = known
        }
        var approver: ApprovalSource?
        if let name = fields["approver"]?.stringValue {
            guard let known = ApprovalSource(rawValue: name) else { return nil }
            approver = known
        }
        var hook: AuditHookRun?
        if let member = fields["hook"] {
            guard let known = AuditHookRun(json: member) else { return nil }
            hook = known
        }
        var mcp: AuditMCPTarget?
        if let member = fields["mcp"] {
            guard let known = AuditMCPTarget(json: member) else { return nil }
            mcp = known
        }
        let warnings: [String] =
            if case .array(let items)? = fields["warnings"] { items.compactMap(\.stringValue) } else { [] }
        var quarantined: [QuarantinedEntry] = []
        if case .array(let items)? = fields["quarantined"] {
            for item in items {
                guard let entry = QuarantinedEntry(json: item) else { return nil }
                quarantined.append(entry)
            }
        }
        self.init(
            event: event, session: session, callID: call, tool: tool, arguments: arguments, decision: decision,
            rule: rule, reason: fields["reason"]?.stringValue, approver: approver, requestedPath: fields["requested_path"]?.stringValue,
            resolvedPath: fields["resolved_path"]?.stringValue, sandbox: sandbox,
            warnings: warnings, exitCode: fields["exit_code"]?.intValue, timedOut: fields["timed_out"]?.boolValue,
            durationMs: fields["duration_ms"]?.intValue, bytesIn: fields["bytes_in"]?.intValue,
            bytesOut: fields["bytes_out"]?.intValue, output: fields["output"]?.stringValue, hook: hook, mcp: mcp,
            parentCall: fields["parent_call"]?.stringValue, quarantined: quarantined)
        self.sequence = sequence
        self.time = time
        self.previousHash = previous
        self.hash = hash
    }
}

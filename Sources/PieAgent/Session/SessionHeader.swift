import PieJSON

/// Line 1 of a session file: `{"type":"session","version":3,"id",…,"cwd",…,"parentSession"?}`.
///
/// Not part of the entry tree. Fields this build does not know are kept in `object` and written back
/// unchanged when the header is copied.
public struct SessionHeader: Sendable, Equatable {
    /// pi's `CURRENT_SESSION_VERSION`; pie writes v3 entries.
    public static let currentVersion = 3

    public let id: String
    public let version: Int
    /// ISO-8601 creation time.
    public let timestamp: String
    public let cwd: String
    /// Path of the session file this one was forked from, or, with `parentToolCall`, the session
    /// whose `task` call started this sub-agent.
    public let parentSession: String?
    /// The id of the `task` call in `parentSession` that this sub-agent's transcript answers; nil
    /// for a fork or a top-level session.
    public let parentToolCall: String?
    public let object: JSONObject

    public init(id: String, timestamp: String, cwd: String, parentSession: String? = nil, parentToolCall: String? = nil) {
        var object = JSONObject([
            .init("type", "session"), .init("version", .number(Double(Self.currentVersion))), .init("id", .string(id)),
            .init("timestamp", .string(timestamp)), .init("cwd", .string(cwd)),
        ])
        if let parentSession { object["parentSession"] = .string(parentSession) }
        if let parentToolCall { object["parentToolCall"] = .string(parentToolCall) }
        self.id = id
        self.version = Self.currentVersion
        self.timestamp = timestamp
        self.cwd = cwd
        self.parentSession = parentSession
        self.parentToolCall = parentToolCall
        self.object = object
    }

    /// Reads a header object. pi's shape (`type: "session"`) is primary; c4pt0r/pie's
    /// `{id, createdAt, cwd, parentSessionPath?}` is accepted too. A missing version means v1.
    public init?(object: JSONObject) {
        let type = object["type"]?.stringValue
        guard let id = object["id"]?.stringValue, !id.isEmpty else { return nil }
        if type == "session" {
            guard let timestamp = object["timestamp"]?.stringValue else { return nil }
            self.timestamp = timestamp
            self.parentSession = object["parentSession"]?.stringValue
        } else if type == nil, let createdAt = object["createdAt"]?.stringValue {
            self.timestamp = createdAt
            self.parentSession = object["parentSessionPath"]?.stringValue
        } else {
            return nil
        }
        self.parentToolCall = object["parentToolCall"]?.stringValue
        self.id = id
        self.version = object["version"]?.intValue ?? 1
        self.cwd = object["cwd"]?.stringValue ?? ""
        self.object = object
    }

    /// The header as one JSONL line, without the newline.
    public var line: String { JSONWriter.string(.object(object)) }
}

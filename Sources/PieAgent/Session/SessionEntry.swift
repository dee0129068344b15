/// One tree entry of a session file: `{type, id, parentId, timestamp, …}`.
///
/// The whole JSON object is kept (`object`) together with the exact line it was read from (`line`),
/// so entries this build does not understand, and fields it does not know, survive forks and copies
/// byte for byte. The accessors below read only what the session layer itself needs.
public struct SessionEntry: Sendable, Equatable {
    public let id: String
    /// nil for a root entry.
    public let parentId: String?
    public let type: SessionEntryType
    /// ISO-8601 time the entry was written.
    public let timestamp: String
    public let object: JSONObject
    /// The serialised line (without "\n"): as read from disk, or as this process will write it.
    public let line: String

    /// Validates the base fields of an object read from disk; nil when `id` or `type` is missing.
    public init?(object: JSONObject, line: String) {
        guard let id = object["id"]?.stringValue, !id.isEmpty,
            let type = object["type"]?.stringValue, type != "session"
        else { return nil }
        self.id = id
        self.parentId = object["parentId"]?.stringValue
        self.type = SessionEntryType(rawValue: type)
        self.timestamp = object["timestamp"]?.stringValue ?? ""
        self.object = object
        self.line = line
    }

    /// A new entry: base fields first, in pi's order, then the content's own fields.
    public init(id: String, parentId: String?, timestamp: String, content: SessionEntryContent) {
        var members: [JSONObject.Member] = [
            .init("type", .string(content.type.rawValue)), .init("id", .string(id)),
            .init("parentId", parentId.map(JSONValue.string) ?? .null), .init("timestamp", .string(timestamp)),
        ]
        members.append(contentsOf: content.fields.members)
        let object = JSONObject(members)
        self.id = id
        self.parentId = parentId
        self.type = content.type
        self.timestamp = timestamp
        self.object = object
        self.line = JSONWriter.string(.object(object))
    }

    public subscript(key: String) -> JSONValue? { object[key] }

    /// The `message` payload of a `message` entry.
    public var message: JSONValue? { type == .message ? object["message"] : nil }

    /// `message.role` (`user`, `assistant`, `toolResult`, `bashExecution`, `custom`, …).
    public var role: String? { message?["role"]?.stringValue }

    /// `message.stopReason` of an assistant message (`stop`, `length`, `toolUse`, `error`, `aborted`).
    public var stopReason: String? { message?["stopReason"]?.stringValue }

    /// An assistant message cut short by the user: it stays in the file (the user saw it) but is
    /// dropped when the context is replayed to a model, as pi does.
    public var isAbortedAssistant: Bool { role == "assistant" && stopReason == "aborted" }

    /// `targetId` of a `label` or `leaf` entry.
    public var targetId: String? { object["targetId"]?.stringValue }

    /// `label` of a `label` entry; nil clears the label.
    public var label: String? { type == .label ? object["label"]?.stringValue : nil }

    /// `name` of a `session_info` entry.
    public var sessionName: String? { type == .sessionInfo ? object["name"]?.stringValue : nil }

    /// `summary` of a `compaction` or `branch_summary` entry.
    public var summary: String? { object["summary"]?.stringValue }

    /// The human-readable text of this entry, for previews and the full-text index; nil when the
    /// entry carries no conversation text (model changes, labels, custom state, …).
    public var text: String? {
        switch type {
        case .message:
            guard let message else { return nil }
            if role == "bashExecution" {
                let command = message["command"]?.stringValue ?? ""
                let output = message["output"]?.stringValue ?? ""
                return output.isEmpty ? command : command + "\n" + output
            }
            return Self.text(ofContent: message["content"])
        case .customMessage:
            return Self.text(ofContent: object["content"])
        case .compaction, .branchSummary:
            return summary
        default:
            return nil
        }
    }

    /// Joins a message `content`: a plain string, or the `text` of its `{type:"text"}` blocks.
    static func text(ofContent content: JSONValue?) -> String? {
        switch content {
        case .string(let text):
            return text
        case .array(let blocks):
            let texts = blocks.compactMap { block -> String? in
                block["type"]?.stringValue == "text" ? block["text"]?.stringValue : nil
            }
            return texts.isEmpty ? nil : texts.joined(separator: "\n")
        default:
            return nil
        }
    }
}

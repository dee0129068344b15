import PieJSON

/// One tree entry of a session file: `{type, id, parentId, timestamp, …}`.
///
/// The whole JSON object is kept (`object`) together with the exact line it was read from (`line`),
/// so entries this build does not understand, and fields it does not know, survive forks and copies
/// byte for byte. The accessors below read only what the session layer itself needs.
public struct SessionEntry: Sendable, Equatable {
    /// Immutable shared storage: an entry is copied into the tree, every path and every context
    /// item, and one reference count is cheaper than copying a dozen strings each time.
    private final class Storage: Sendable {
        let id: String
        let parentId: String?
        let type: SessionEntryType
        let timestamp: String
        let line: String
        let scalars: EntryScalars

        init(id: String, parentId: String?, type: SessionEntryType, timestamp: String, line: String, scalars: EntryScalars) {
            self.id = id
            self.parentId = parentId
            self.type = type
            self.timestamp = timestamp
            self.line = line
            self.scalars = scalars
        }
    }

    private let storage: Storage

    public var id: String { storage.id }
    /// nil for a root entry.
    public var parentId: String? { storage.parentId }
    public var type: SessionEntryType { storage.type }
    /// ISO-8601 time the entry was written.
    public var timestamp: String { storage.timestamp }
    /// The serialised line (without "\n"): as read from disk, or as this process will write it.
    public var line: String { storage.line }

    /// Two entries are equal when their lines are: the line determines every field.
    public static func == (lhs: SessionEntry, rhs: SessionEntry) -> Bool {
        lhs.storage === rhs.storage || lhs.storage.line == rhs.storage.line
    }

    static let baseKeys: Set<String> = ["type", "id", "parentId", "timestamp"]

    /// An entry scanned from a file line; nil when `id` or `type` is missing.
    init?(scalars: EntryScalars, line: String) {
        guard let id = scalars.id, !id.isEmpty, let type = scalars.type, type != "session" else { return nil }
        storage = Storage(
            id: id, parentId: scalars.parentId, type: SessionEntryType(rawValue: type),
            timestamp: scalars.timestamp ?? "", line: line, scalars: scalars)
    }

    /// Reads one entry line; nil when it is not a JSON object with `id` and `type`.
    public init?(line: String) {
        var copy = line
        let scanned = copy.withUTF8 { try? SessionLineScanner.scan($0) }
        guard let scanned else { return nil }
        self.init(scalars: scanned, line: line)
    }

    /// A new entry: base fields first, in pi's order, then the content's own fields.
    public init(id: String, parentId: String?, timestamp: String, content: SessionEntryContent) {
        var members: [JSONObject.Member] = [
            .init("type", .string(content.type.rawValue)), .init("id", .string(id)),
            .init("parentId", parentId.map(JSONValue.string) ?? .null), .init("timestamp", .string(timestamp)),
        ]
        // The base fields are the session's to assign; a content that carries them is ignored there.
        members.append(contentsOf: content.fields.members.filter { !Self.baseKeys.contains($0.key) })
        var line = JSONWriter.string(.object(JSONObject(members)))
        // The writer's output always scans; the fallback keeps this initialiser total.
        let scalars = line.withUTF8 { try? SessionLineScanner.scan($0) } ?? EntryScalars()
        storage = Storage(
            id: id, parentId: parentId, type: content.type, timestamp: timestamp, line: line, scalars: scalars)
    }

    /// The whole entry object, parsed from `line` (resume needs only the typed accessors below).
    /// Loading scans a line without decoding every string, so a line with, say, an invalid string
    /// escape loads as an entry and fails here: the error says where.
    public func parsedObject() throws(JSONParseError) -> JSONObject {
        guard let object = try JSONParser.parseLine(line).objectValue else {
            throw JSONParseError(reason: "the entry is not a JSON object", offset: 0)
        }
        return object
    }

    /// The entry object for display and lookups; nil when the line cannot be parsed (see
    /// `parsedObject()`, which says why), never an empty stand-in.
    public var object: JSONObject? {
        do {
            return try parsedObject()
        } catch {
            return nil
        }
    }

    /// A member of the entry object (parses the line; nil when it cannot be parsed).
    public subscript(key: String) -> JSONValue? { object?[key] }

    /// The `message` payload of a `message` entry (parses the line; nil when it cannot be parsed).
    public var message: JSONValue? { type == .message && storage.scalars.hasMessage ? object?["message"] : nil }

    /// Whether this is a `message` entry that carries a message object.
    public var hasMessage: Bool { type == .message && storage.scalars.hasMessage }

    /// `message.role` (`user`, `assistant`, `toolResult`, `bashExecution`, `custom`, …).
    public var role: String? { type == .message ? storage.scalars.role : nil }

    /// `message.stopReason` of an assistant message (`stop`, `length`, `toolUse`, `error`, `aborted`).
    public var stopReason: String? { type == .message ? storage.scalars.stopReason : nil }

    /// An assistant message cut short by the user: it stays in the file (the user saw it) but is
    /// dropped when the context is replayed to a model, as pi does.
    public var isAbortedAssistant: Bool { role == "assistant" && stopReason == "aborted" }

    /// `message.provider` and `message.model` of an assistant message.
    public var messageModel: (provider: String, model: String)? {
        guard role == "assistant", let provider = storage.scalars.messageProvider,
            let model = storage.scalars.messageModel
        else { return nil }
        return (provider, model)
    }

    /// `provider` and `modelId` of a `model_change` entry.
    public var modelChange: (provider: String, modelId: String)? {
        guard type == .modelChange, let provider = storage.scalars.provider, let modelId = storage.scalars.modelId else {
            return nil
        }
        return (provider, modelId)
    }

    /// `thinkingLevel` of a `thinking_level_change` entry.
    public var thinkingLevel: String? { type == .thinkingLevelChange ? storage.scalars.thinkingLevel : nil }

    /// `firstKeptEntryId` of a `compaction` entry.
    public var firstKeptEntryId: String? { type == .compaction ? storage.scalars.firstKeptEntryId : nil }

    /// `targetId` of a `label` or `leaf` entry.
    public var targetId: String? { type == .label || type == .leaf ? storage.scalars.targetId : nil }

    /// `label` of a `label` entry; nil clears the label.
    public var label: String? { type == .label ? storage.scalars.label : nil }

    /// `name` of a `session_info` entry.
    public var sessionName: String? { type == .sessionInfo ? storage.scalars.name : nil }

    /// `summary` of a `compaction` or `branch_summary` entry.
    public var summary: String? { type == .compaction || type == .branchSummary ? storage.scalars.summary : nil }

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
            return Self.text(ofContent: self["content"])
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

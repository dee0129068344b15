import PieJSON

/// What to append, before the session assigns `id`, `parentId` and `timestamp`.
///
/// One constructor per pi v3 entry type (field names exactly as pi writes them), plus `leaf`.
/// Absent optionals are left out of the JSON, as `JSON.stringify` drops `undefined`.
public struct SessionEntryContent: Sendable, Equatable {
    public var type: SessionEntryType
    public var fields: JSONObject

    public init(type: SessionEntryType, fields: JSONObject) {
        self.type = type
        self.fields = fields
    }

    /// `message {message}`: a conversation message (PieLocal's message encoded as JSON).
    public static func message(_ message: JSONValue) -> Self {
        Self(type: .message, fields: JSONObject([.init("message", message)]))
    }

    public static func thinkingLevelChange(_ level: String) -> Self {
        Self(type: .thinkingLevelChange, fields: JSONObject([.init("thinkingLevel", .string(level))]))
    }

    public static func modelChange(provider: String, modelId: String) -> Self {
        Self(
            type: .modelChange,
            fields: JSONObject([.init("provider", .string(provider)), .init("modelId", .string(modelId))]))
    }

    /// `compaction {summary, firstKeptEntryId, tokensBefore, details?, fromHook?}`.
    public static func compaction(
        summary: String, firstKeptEntryId: String, tokensBefore: Int, details: JSONValue? = nil,
        fromHook: Bool? = nil
    ) -> Self {
        var fields = JSONObject([
            .init("summary", .string(summary)), .init("firstKeptEntryId", .string(firstKeptEntryId)),
            .init("tokensBefore", .number(Double(tokensBefore))),
        ])
        fields["details"] = details
        fields["fromHook"] = fromHook.map(JSONValue.bool)
        return Self(type: .compaction, fields: fields)
    }

    /// `branch_summary {fromId, summary, details?, fromHook?}`; `fromId` is `"root"` at the root.
    public static func branchSummary(
        fromId: String, summary: String, details: JSONValue? = nil, fromHook: Bool? = nil
    ) -> Self {
        var fields = JSONObject([.init("fromId", .string(fromId)), .init("summary", .string(summary))])
        fields["details"] = details
        fields["fromHook"] = fromHook.map(JSONValue.bool)
        return Self(type: .branchSummary, fields: fields)
    }

    /// `custom {customType, data?}`: extension state, never sent to the model.
    public static func custom(customType: String, data: JSONValue? = nil) -> Self {
        var fields = JSONObject([.init("customType", .string(customType))])
        fields["data"] = data
        return Self(type: .custom, fields: fields)
    }

    /// `custom_message {customType, content, display, details?}`: sent to the model as a user message.
    public static func customMessage(
        customType: String, content: JSONValue, display: Bool, details: JSONValue? = nil
    ) -> Self {
        var fields = JSONObject([
            .init("customType", .string(customType)), .init("content", content), .init("display", .bool(display)),
        ])
        fields["details"] = details
        return Self(type: .customMessage, fields: fields)
    }

    /// `label {targetId, label?}`; a nil label clears the target's label.
    public static func label(targetId: String, label: String?) -> Self {
        var fields = JSONObject([.init("targetId", .string(targetId))])
        fields["label"] = label.map(JSONValue.string)
        return Self(type: .label, fields: fields)
    }

    /// `session_info {name?}`: the display name; the latest one wins.
    public static func sessionInfo(name: String?) -> Self {
        var fields = JSONObject()
        fields["name"] = name.map(JSONValue.string)
        return Self(type: .sessionInfo, fields: fields)
    }

    /// `leaf {targetId?}`: moves the active leaf; nil moves it before the first entry.
    public static func leaf(targetId: String?) -> Self {
        var fields = JSONObject()
        fields["targetId"] = targetId.map(JSONValue.string)
        return Self(type: .leaf, fields: fields)
    }
}

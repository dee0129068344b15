import PieLocal
import PieJSON

/// Stores loop messages in session entries and reads them back, in pi's message shapes: `role`
/// `user` / `assistant` / `toolResult`, content blocks `text` / `thinking` / `image` / `toolCall`.
///
/// Payloads are stored with their keys sorted, as they always were; unknown fields round-trip.
public enum MessageCodec {
    /// The `message` entry for `message` (compaction summaries are stored as `compaction` entries
    /// by the caller, which knows the entry ids).
    public static func entryContent(for message: AgentMessage, timestampMilliseconds: Int) -> SessionEntryContent? {
        if case .compactionSummary = message { return nil }
        var json = message.jsonValue
        if case .object(var object) = json {
            object["timestamp"] = .number(Double(timestampMilliseconds))
            if case .assistant(let reply) = message, let colon = reply.model.firstIndex(of: ":") {
                object["provider"] = .string(String(reply.model[..<colon]))
                object["model"] = .string(String(reply.model[reply.model.index(after: colon)...]))
            }
            json = .object(object)
        }
        let text = String(decoding: JSONWriter.bytes(json, keys: .sorted), as: UTF8.self)
        guard let stored = try? JSONParser.parseLine(text) else { return nil }
        return .message(stored)
    }

    /// The loop's context rebuilt from a session's active path.
    public static func messages(from context: SessionContext) -> [AgentMessage] {
        context.items.compactMap { item -> AgentMessage? in
            switch item {
            case .message(let entry):
                guard let stored = entry.message else { return nil }
                return decode(stored)
            case .customMessage(let entry), .branchSummary(let entry):
                return entry.text.map { .user([.text($0)]) }
            case .compactionSummary(let entry):
                return .compactionSummary(CompactionSummary(
                    summary: entry.summary ?? "", firstKeptIndex: 0,
                    tokensBefore: entry["tokensBefore"]?.intValue ?? 0))
            }
        }
    }

    /// Every tool call recorded in `entries` (all branches, file order), e.g. for `pie audit replay`.
    public static func toolCalls(in entries: [SessionEntry]) -> [PieLocal.ToolCall] {
        entries.flatMap { entry -> [PieLocal.ToolCall] in
            guard let stored = entry.message, case .assistant(let reply)? = decode(stored) else { return [] }
            return reply.toolCalls
        }
    }

    static func decode(_ stored: JSONValue) -> AgentMessage? {
        let json = stored
        let content = (json["content"]?.arrayValue ?? []).compactMap(block)
        switch json["role"]?.stringValue {
        case "user":
            if let text = json["content"]?.stringValue { return .user([.text(text)]) }
            return .user(content)
        case "assistant":
            let provider = json["provider"]?.stringValue
            let model = json["model"]?.stringValue ?? ""
            return .assistant(AssistantMessage(
                content: content,
                stopReason: AssistantStopReason(rawValue: json["stopReason"]?.stringValue ?? "stop") ?? .stop,
                usage: json["usage"].map(usage), errorMessage: json["errorMessage"]?.stringValue,
                model: provider.map { "\($0):\(model)" } ?? model))
        case "toolResult":
            return .toolResult(ToolResultMessage(
                toolCallID: json["toolCallId"]?.stringValue ?? "", toolName: json["toolName"]?.stringValue ?? "",
                content: content, isError: json["isError"]?.boolValue ?? false, details: json["details"]))
        default:
            return nil
        }
    }

    private static func block(_ json: JSONValue) -> ContentBlock? {
        switch json["type"]?.stringValue {
        case "text": json["text"]?.stringValue.map(ContentBlock.text)
        case "thinking": json["thinking"]?.stringValue.map { .thinking($0, signature: json["signature"]?.stringValue) }
        case "image":
            json["data"]?.stringValue.map { .image(base64: $0, mimeType: json["mimeType"]?.stringValue ?? "image/png") }
        case "toolCall":
            .toolCall(PieLocal.ToolCall(
                id: json["id"]?.stringValue ?? "", name: json["name"]?.stringValue ?? "",
                arguments: json["arguments"] ?? .object([:])))
        default: nil
        }
    }

    private static func usage(_ json: JSONValue) -> Usage {
        Usage(
            input: json["input"]?.intValue ?? 0, output: json["output"]?.intValue ?? 0,
            cacheRead: json["cacheRead"]?.intValue ?? 0, cacheWrite: json["cacheWrite"]?.intValue ?? 0)
    }
}

import PieLocal
import PieJSON

/// Stores loop messages in session entries and reads them back, in pi's message shapes: `role`
/// `user` / `assistant` / `toolResult`, content blocks `text` / `thinking` / `image` / `toolCall`.
///
/// Payloads are stored with their keys sorted, as they always were; unknown fields round-trip.
public enum MessageCodec {
    /// The `message` entry for `message` (compaction summaries are stored as `compaction` entries
    /// by the caller, which knows the entry ids).
    /// The payload is built with its keys sorted, never written out and parsed back. Throws when
    /// it could not be read back as a session value (nesting deeper than the session parser
    /// takes): the caller reports it instead of writing a broken entry.
    public static func entryContent(
        for message: AgentMessage, timestampMilliseconds: Int
    ) throws(JSONParseError) -> SessionEntryContent? {
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
        return .message(try json.sortingKeys())
    }

    /// The loop's context rebuilt from a session's active path (`path` is the session file, for
    /// diagnostics). An entry whose message cannot be read is left out and reported, never
    /// replayed as an empty message.
    public static func restore(from context: SessionContext, path: String) -> RestoredContext {
        var restored = RestoredContext()
        for item in context.items {
            switch item {
            case .message(let entry):
                switch readMessage(entry, path: path) {
                case .message(let message): restored.messages.append(message)
                case .skipped: break
                case .unreadable(let diagnostic): restored.diagnostics.append(diagnostic)
                }
            case .customMessage(let entry), .branchSummary(let entry):
                if let text = entry.text { restored.messages.append(.user([.text(text)])) }
            case .compactionSummary(let entry):
                restored.messages.append(.compactionSummary(CompactionSummary(
                    summary: entry.summary ?? "", firstKeptIndex: 0,
                    tokensBefore: entry["tokensBefore"]?.intValue ?? 0)))
            }
        }
        return restored
    }

    /// Every tool call recorded in `entries` (all branches, file order), e.g. for `pie audit
    /// replay`, with a diagnostic for each entry whose message cannot be read.
    public static func toolCalls(
        in entries: [SessionEntry], path: String
    ) -> (calls: [ToolCall], diagnostics: [SessionDiagnostic]) {
        var calls: [ToolCall] = []
        var diagnostics: [SessionDiagnostic] = []
        for entry in entries where entry.hasMessage {
            switch readMessage(entry, path: path) {
            case .message(.assistant(let reply)): calls += reply.toolCalls
            case .message, .skipped: break
            case .unreadable(let diagnostic): diagnostics.append(diagnostic)
            }
        }
        return (calls, diagnostics)
    }

    /// What reading one `message` entry gives.
    private enum MessageRead {
        case message(AgentMessage)
        /// A role the loop does not replay (pi's `bashExecution`, `custom`).
        case skipped
        case unreadable(SessionDiagnostic)
    }

    private static func readMessage(_ entry: SessionEntry, path: String) -> MessageRead {
        let unreadable = { (reason: String) in
            MessageRead.unreadable(SessionDiagnostic(
                kind: .corruptLine, path: path,
                detail: "entry \(entry.id): the message cannot be read (\(reason)); it is left out of the context"))
        }
        let object: JSONObject
        do throws(JSONParseError) {
            object = try entry.parsedObject()
        } catch {
            return unreadable(error.description)
        }
        guard let stored = object["message"] else { return .skipped }
        return decode(stored).map(MessageRead.message) ?? .skipped
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
            .toolCall(ToolCall(
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

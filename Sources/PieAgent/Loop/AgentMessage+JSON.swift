import PieLocal
import PieJSON

/// The JSON shapes of messages in `--mode json` events (documented in docs/agent-loop.md).
extension AgentMessage {
    public var jsonValue: JSONValue {
        switch self {
        case .user(let content):
            return ["role": "user", "content": .array(content.map(\.jsonValue))]
        case .assistant(let reply):
            return reply.jsonValue
        case .toolResult(let result):
            return result.jsonValue
        case .compactionSummary(let summary):
            return [
                "role": "compactionSummary", "summary": .string(summary.summary),
                "tokensBefore": .number(Double(summary.tokensBefore)),
                "readFiles": .array(summary.readFiles.map(JSONValue.string)),
                "modifiedFiles": .array(summary.modifiedFiles.map(JSONValue.string)),
            ]
        }
    }
}

extension AssistantMessage {
    public var jsonValue: JSONValue {
        var object: JSONObject = [
            "role": "assistant", "content": .array(content.map(\.jsonValue)),
            "stopReason": .string(stopReason.rawValue), "model": .string(model),
        ]
        if let usage { object["usage"] = usage.jsonValue }
        if let errorMessage { object["errorMessage"] = .string(errorMessage) }
        return .object(object)
    }
}

extension ToolResultMessage {
    public var jsonValue: JSONValue {
        var object: JSONObject = [
            "role": "toolResult", "toolCallId": .string(toolCallID), "toolName": .string(toolName),
            "content": .array(content.map(\.jsonValue)), "isError": .bool(isError),
        ]
        if let details { object["details"] = details }
        return .object(object)
    }
}

extension ToolResult {
    public var jsonValue: JSONValue {
        var object: JSONObject = ["content": .array(content.map(\.contentBlock.jsonValue))]
        if let details = detailsJSON { object["details"] = details }
        return .object(object)
    }
}

extension ContentBlock {
    public var jsonValue: JSONValue {
        switch self {
        case .text(let text):
            return ["type": "text", "text": .string(text)]
        case .thinking(let text, let signature):
            var object: JSONObject = ["type": "thinking", "thinking": .string(text)]
            if let signature { object["signature"] = .string(signature) }
            return .object(object)
        case .image(let base64, let mimeType):
            return ["type": "image", "data": .string(base64), "mimeType": .string(mimeType)]
        case .toolCall(let call):
            return ["type": "toolCall", "id": .string(call.id), "name": .string(call.name), "arguments": call.arguments]
        }
    }
}

extension Usage {
    public var jsonValue: JSONValue {
        [
            "input": .number(Double(input)), "output": .number(Double(output)),
            "cacheRead": .number(Double(cacheRead)), "cacheWrite": .number(Double(cacheWrite)),
            "totalTokens": .number(Double(totalTokens)),
        ]
    }
}

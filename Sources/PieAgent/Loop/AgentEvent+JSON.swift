import PieLocal
import PieJSON

/// `--mode json`: one event per line, `type` first. `message_update` carries the stream event
/// only, not the whole partial message pi repeats, so output stays linear in the reply's length.
extension AgentEvent {
    public var jsonLine: String {
        var members: [(String, JSONValue)] = [("type", .string(name))]
        switch self {
        case .agentStart:
            break
        case .agentEnd(let outcome, let messages):
            members.append(("outcome", .string(outcome.name)))
            switch outcome {
            case .failed(let message): members.append(("error", .string(message)))
            case .maxTurnsReached(let limit): members.append(("maxTurns", .number(Double(limit))))
            case .completed, .aborted, .timedOut, .stoppedByHook: break
            }
            members.append(("messages", .array(messages.map(\.jsonValue))))
        case .turnStart(let turn):
            members.append(("turn", .number(Double(turn))))
        case .turnEnd(let turn, let message, let toolResults):
            members.append(("turn", .number(Double(turn))))
            members.append(("message", message.jsonValue))
            members.append(("toolResults", .array(toolResults.map(\.jsonValue))))
        case .messageStart(let message), .messageEnd(let message):
            members.append(("message", message.jsonValue))
        case .messageUpdate(_, let event):
            members.append(("assistantMessageEvent", event.jsonValue))
        case .toolExecutionStart(let call):
            members += Self.callMembers(call)
        case .toolExecutionUpdate(let call, let partial):
            members += Self.callMembers(call)
            members.append(("partialResult", partial.jsonValue))
        case .toolExecutionEnd(let call, let result):
            members += Self.callMembers(call)
            members.append(("result", result.jsonValue))
            members.append(("isError", .bool(result.isError)))
        case .compactionStart(let reason):
            members.append(("reason", .string(reason.rawValue)))
        case .compactionEnd(let reason, let summary):
            members.append(("reason", .string(reason.rawValue)))
            members.append(("summary", summary.map { .string($0.summary) } ?? .null))
            if let summary {
                members.append(("tokensBefore", .number(Double(summary.tokensBefore))))
                members.append(("firstKeptIndex", .number(Double(summary.firstKeptIndex))))
            }
        }
        // `type` first, members in this order; values inside them keep the sorted keys these lines
        // have always had.
        var line: [UInt8] = [UInt8(ascii: "{")]
        for (offset, (key, value)) in members.enumerated() {
            if offset > 0 { line.append(UInt8(ascii: ",")) }
            JSONEscaper.append(key, to: &line)
            line.append(UInt8(ascii: ":"))
            JSONWriter.write(value, into: &line, keys: .sorted)
        }
        line.append(UInt8(ascii: "}"))
        return String(decoding: line, as: UTF8.self)
    }

    private static func callMembers(_ call: ToolCall) -> [(String, JSONValue)] {
        [("toolCallId", .string(call.id)), ("toolName", .string(call.name)), ("args", call.arguments)]
    }
}

extension StreamEvent {
    /// The normalised stream event inside `message_update`.
    public var jsonValue: JSONValue {
        switch self {
        case .textDelta(let delta):
            return ["type": "text_delta", "delta": .string(delta)]
        case .thinkingDelta(let delta):
            return ["type": "thinking_delta", "delta": .string(delta)]
        case .thinkingSignature(let signature):
            return ["type": "thinking_signature", "signature": .string(signature)]
        case .toolCallStart(let index, let id, let name):
            return ["type": "toolcall_start", "index": .number(Double(index)), "id": .string(id), "name": .string(name)]
        case .toolCallDelta(let index, let fragment, _):
            return ["type": "toolcall_delta", "index": .number(Double(index)), "delta": .string(fragment)]
        case .toolCallEnd(let index, let call):
            return ["type": "toolcall_end", "index": .number(Double(index)), "toolCall": ContentBlock.toolCall(call).jsonValue]
        case .usage(let usage):
            return ["type": "usage", "usage": usage.jsonValue]
        case .stop(let reason):
            return ["type": "done", "reason": .string(reason.rawValue)]
        case .error(let error):
            return ["type": "error", "error": .string(error.message)]
        case .notice(let text):
            return ["type": "notice", "message": .string(text)]
        case .retrying(let attempt, let delay, let reason):
            return [
                "type": "retrying", "attempt": .number(Double(attempt)), "delayMs": .number(Double(delay)),
                "error": .string(reason.message),
            ]
        case .fallback(let from, let to, let reason):
            return ["type": "fallback", "from": .string(from), "to": .string(to), "error": .string(reason.message)]
        }
    }
}

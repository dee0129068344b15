import PieAgent
import PieJSON
import PieLocal

/// Which agent events hooks observe, and what their payloads carry.
enum HookEventMapping {
    static func event(for event: AgentEvent) -> HookEvent? {
        switch event {
        case .agentStart: .agentStart
        case .agentEnd: .agentEnd
        case .turnStart: .turnStart
        case .turnEnd: .turnEnd
        case .toolExecutionStart: .toolStart
        case .toolExecutionEnd: .toolEnd
        case .compactionEnd(_, let summary?) where !summary.summary.isEmpty: .compaction
        default: nil
        }
    }

    static func payload(for event: AgentEvent, base: HookPayload) -> HookPayload? {
        var payload = base
        switch event {
        case .agentStart:
            break
        case .agentEnd(let outcome, let messages):
            payload["outcome"] = .string(outcome.name)
            payload["message_count"] = .integer(messages.count)
        case .turnStart(let turn):
            payload["turn"] = .integer(turn)
        case .turnEnd(let turn, let message, let results):
            payload["turn"] = .integer(turn)
            payload["message_summary"] = .string(HookPayload.summary(message.text))
            payload["tool_result_count"] = .integer(results.count)
        case .toolExecutionStart(let call):
            payload.setTool(callID: call.id, name: call.name, arguments: call.arguments)
        case .toolExecutionEnd(let call, let result):
            payload.setTool(callID: call.id, name: call.name, arguments: call.arguments)
            payload.setResult(isError: result.isError, text: result.text)
        case .compactionEnd(let reason, let summary?):
            payload["compaction_reason"] = .string(reason.rawValue)
            payload["compaction_tokens_before"] = .integer(summary.tokensBefore)
            payload["compaction_summary"] = .string(HookPayload.summary(summary.summary))
        default:
            return nil
        }
        return payload
    }
}

import PieJSON

/// The payload `pie hooks test EVENT` sends: the session's fields, plausible values for the
/// event's own fields (a `bash` call, an automation run), then the caller's `--payload` members.
public enum HookSample {
    public static func payload(_ event: HookEvent, base: HookPayload, tool: String, overrides: JSONObject) -> HookPayload {
        var payload = base
        switch event {
        case .toolStart, .toolEnd, .preTool, .approvalNeeded:
            payload.setTool(
                callID: "call_test", name: tool, arguments: .object(JSONObject([("command", .string("echo hello"))])))
            if event == .toolEnd { payload.setResult(isError: false, text: "hello") }
        case .turnStart, .turnEnd:
            payload["turn"] = .integer(1)
        case .agentEnd:
            payload["outcome"] = .string("completed")
        case .compaction:
            payload["compaction_reason"] = .string("beforeRequest")
        case .agentStart, .automationStart, .automationEnd:
            break
        }
        if event == .automationStart || event == .automationEnd || event == .approvalNeeded {
            payload["automation_id"] = .string("test-automation")
            payload["run_id"] = .integer(1)
        }
        if event == .automationEnd { payload["run_state"] = .string("succeeded") }
        for (key, value) in overrides where key != "event" { payload[key] = value }
        return payload
    }
}

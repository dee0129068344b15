/// The moments a hook can run at, named as c4pt0r/pie names them (plus the automation events and
/// the one blocking event, `pre_tool`).
public enum HookEvent: String, Sendable, CaseIterable, Hashable {
    case agentStart = "agent_start"
    case agentEnd = "agent_end"
    case turnStart = "turn_start"
    case turnEnd = "turn_end"
    case toolStart = "tool_start"
    case toolEnd = "tool_end"
    case compaction
    case automationStart = "automation_start"
    case automationEnd = "automation_end"
    case approvalNeeded = "approval_needed"
    /// Runs after the policy allowed a call and before it executes; exit 2 denies the call.
    case preTool = "pre_tool"

    /// Whether the event concerns one tool call, so a hook's `tool` filter applies to it.
    public var concernsTool: Bool {
        switch self {
        case .toolStart, .toolEnd, .preTool, .approvalNeeded: true
        default: false
        }
    }

    /// The one event whose hooks the agent waits for: they can deny the call.
    public var blocks: Bool { self == .preTool }

    /// Every event name, for error messages.
    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

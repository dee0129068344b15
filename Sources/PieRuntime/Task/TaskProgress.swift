import PieAgent
import PieLocal

/// A sub-agent's progress as the `task` call's partial result (what a UI shows while it runs):
/// its turn and the tool it is calling, one line, never sent to the model.
struct TaskProgress: Sendable {
    var description: String
    var update: @Sendable (ToolResult) -> Void

    func observe(_ event: AgentEvent) {
        switch event {
        case .turnStart(let turn):
            update(.text("\(description): turn \(turn)"))
        case .toolExecutionStart(let call):
            let arguments = call.argumentText
            let preview = arguments.count > 80 ? String(arguments.prefix(80)) + "…" : arguments
            update(.text("\(description): \(call.name) \(preview)"))
        default:
            break
        }
    }
}

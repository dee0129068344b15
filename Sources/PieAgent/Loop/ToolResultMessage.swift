import PieLocal
import PieJSON

/// The result of one tool call as it enters the context, matched to the call by `toolCallID`.
public struct ToolResultMessage: Sendable, Hashable {
    public var toolCallID: String
    public var toolName: String
    public var content: [ContentBlock]
    public var isError: Bool
    /// Structured data for the UI and the session (diffs, exit codes); never sent to the model.
    public var details: JSONValue?

    public init(toolCallID: String, toolName: String, content: [ContentBlock], isError: Bool, details: JSONValue? = nil) {
        self.toolCallID = toolCallID
        self.toolName = toolName
        self.content = content
        self.isError = isError
        self.details = details
    }

    /// The message for `call` from what its tool produced: images base64-encoded as providers
    /// expect them, typed details written as the JSON the session stores.
    public init(call: ToolCall, result: ToolResult) {
        self.init(
            toolCallID: call.id, toolName: call.name, content: result.content.map(\.contentBlock),
            isError: result.isError, details: result.detailsJSON)
    }

    /// The text a dangling tool call is answered with, so the next request stays well formed.
    public static let noResultText = "No result provided"

    /// Stands in for a call that never got a result (the run was cancelled, or the session was
    /// cut), because every provider rejects a tool call without a matching result.
    public static func missing(for call: ToolCall) -> ToolResultMessage {
        ToolResultMessage(toolCallID: call.id, toolName: call.name, content: [.text(noResultText)], isError: true)
    }
}

/// A tool call as the model made it. `arguments` is always a JSON object (possibly empty), so it
/// can be replayed as valid JSON even when the model streamed something malformed.
public struct ToolCall: Sendable, Hashable {
    public var id: String
    public var name: String
    public var arguments: JSONValue

    public init(id: String, name: String, arguments: JSONValue) {
        self.id = id
        self.name = name
        self.arguments = arguments
    }
}

/// One piece of a message's content.
public enum ContentBlock: Sendable, Hashable {
    case text(String)
    /// Reasoning text. `signature` is whatever the provider needs to accept it back on replay
    /// (Anthropic's signature; for OpenAI-compatible servers, the field it arrived in).
    case thinking(String, signature: String?)
    /// Base64 image data with its MIME type.
    case image(base64: String, mimeType: String)
    case toolCall(ToolCall)
}

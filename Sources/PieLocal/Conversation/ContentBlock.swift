import PieJSON

/// A tool call as the model made it.
///
/// `arguments` is always a JSON object (possibly empty), so the call can be replayed to a server as
/// valid JSON even when the model streamed something malformed. `rawArguments` is the text exactly
/// as the model sent it: the agent validates that, never the repaired object, so malformed JSON is
/// reported back to the model instead of running as `{}` or as a guessed prefix.
public struct ToolCall: Sendable, Hashable {
    public var id: String
    public var name: String
    public var arguments: JSONValue
    /// The argument text as received; nil when the wire format sends a structured object.
    public var rawArguments: String?

    public init(id: String, name: String, arguments: JSONValue, rawArguments: String? = nil) {
        self.id = id
        self.name = name
        self.arguments = arguments
        self.rawArguments = rawArguments
    }

    /// What a tool validates: the raw text when there is one, else the structured object.
    public var argumentText: String {
        rawArguments ?? String(decoding: JSONWriter.bytes(arguments, keys: .sorted), as: UTF8.self)
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

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

    /// A call whose arguments arrived as text: the structured view is read leniently (a malformed
    /// prefix becomes an object) so the call can be replayed; tools validate the text itself.
    public init(id: String, name: String, rawArguments: String) {
        self.init(id: id, name: name, arguments: JSONParser.parseArguments(rawArguments), rawArguments: rawArguments)
    }

    /// The arguments as text for people and the audit log: the raw text when there is one, else
    /// the structured object written once with sorted keys. Validation never reads this.
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

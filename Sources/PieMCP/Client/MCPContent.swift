import PieJSON

/// One content block of a tool result or prompt message.
public enum MCPContent: Sendable, Equatable {
    case text(String)
    /// Base64 data with its MIME type.
    case image(data: String, mimeType: String)
    case audio(data: String, mimeType: String)
    /// A resource embedded in the result.
    case resource(MCPResourceContents)
    /// A pointer to a resource the client may read (`resources/read`).
    case resourceLink(MCPResource)
    /// A block type this revision of pie does not know, kept as sent.
    case other(JSONValue)

    init(json: JSONValue) throws(JSONRPCShapeError) {
        guard let type = json["type"]?.stringValue else { throw JSONRPCShapeError("a content block without a type") }
        switch type {
        case "text":
            guard let text = json["text"]?.stringValue else { throw JSONRPCShapeError("a text block without text") }
            self = .text(text)
        case "image", "audio":
            guard let data = json["data"]?.stringValue, let mimeType = json["mimeType"]?.stringValue else {
                throw JSONRPCShapeError("an \(type) block without data and mimeType")
            }
            self = type == "image" ? .image(data: data, mimeType: mimeType) : .audio(data: data, mimeType: mimeType)
        case "resource":
            guard let resource = json["resource"] else { throw JSONRPCShapeError("a resource block without a resource") }
            self = .resource(try MCPResourceContents(json: resource))
        case "resource_link":
            self = .resourceLink(try MCPResource(json: json))
        default:
            self = .other(json)
        }
    }
}

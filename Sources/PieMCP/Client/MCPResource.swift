import PieJSON

/// One resource from `resources/list` (or a `resource_link` block).
public struct MCPResource: Sendable, Equatable {
    public var uri: String
    public var name: String
    public var title: String?
    public var description: String?
    public var mimeType: String?
    public var size: Int?

    public init(
        uri: String, name: String, title: String? = nil, description: String? = nil, mimeType: String? = nil,
        size: Int? = nil
    ) {
        self.uri = uri
        self.name = name
        self.title = title
        self.description = description
        self.mimeType = mimeType
        self.size = size
    }

    init(json: JSONValue) throws(JSONRPCShapeError) {
        guard let uri = json["uri"]?.stringValue else { throw JSONRPCShapeError("a resource without a uri") }
        self.init(
            uri: uri, name: json["name"]?.stringValue ?? uri, title: json["title"]?.stringValue,
            description: json["description"]?.stringValue, mimeType: json["mimeType"]?.stringValue,
            size: json["size"]?.intValue)
    }
}

/// What `resources/read` returns for one URI: text or base64 `blob`.
public struct MCPResourceContents: Sendable, Equatable {
    public var uri: String
    public var mimeType: String?
    public var text: String?
    public var blob: String?

    public init(uri: String, mimeType: String? = nil, text: String? = nil, blob: String? = nil) {
        self.uri = uri
        self.mimeType = mimeType
        self.text = text
        self.blob = blob
    }

    init(json: JSONValue) throws(JSONRPCShapeError) {
        guard let uri = json["uri"]?.stringValue else { throw JSONRPCShapeError("resource contents without a uri") }
        let text = json["text"]?.stringValue
        let blob = json["blob"]?.stringValue
        guard text != nil || blob != nil else { throw JSONRPCShapeError("resource contents of '\(uri)' without text or blob") }
        self.init(uri: uri, mimeType: json["mimeType"]?.stringValue, text: text, blob: blob)
    }
}

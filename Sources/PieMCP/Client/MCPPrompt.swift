import PieJSON

/// One prompt from `prompts/list`; pie offers prompts as slash commands.
public struct MCPPrompt: Sendable, Equatable {
    public struct Argument: Sendable, Equatable {
        public var name: String
        public var description: String?
        public var required: Bool

        public init(name: String, description: String? = nil, required: Bool = false) {
            self.name = name
            self.description = description
            self.required = required
        }
    }

    public var name: String
    public var title: String?
    public var description: String?
    public var arguments: [Argument]

    public init(name: String, title: String? = nil, description: String? = nil, arguments: [Argument] = []) {
        self.name = name
        self.title = title
        self.description = description
        self.arguments = arguments
    }

    init(json: JSONValue) throws(JSONRPCShapeError) {
        guard let name = json["name"]?.stringValue else { throw JSONRPCShapeError("a prompt without a name") }
        var arguments: [Argument] = []
        for argument in json["arguments"]?.arrayValue ?? [] {
            guard let argumentName = argument["name"]?.stringValue else {
                throw JSONRPCShapeError("an argument of prompt '\(name)' without a name")
            }
            arguments.append(
                Argument(
                    name: argumentName, description: argument["description"]?.stringValue,
                    required: argument["required"]?.boolValue ?? false))
        }
        self.init(
            name: name, title: json["title"]?.stringValue, description: json["description"]?.stringValue,
            arguments: arguments)
    }
}

/// What `prompts/get` returns: messages to put into the conversation.
public struct MCPPromptResult: Sendable, Equatable {
    public struct Message: Sendable, Equatable {
        /// `user` or `assistant`.
        public var role: String
        public var content: MCPContent

        public init(role: String, content: MCPContent) {
            self.role = role
            self.content = content
        }
    }

    public var description: String?
    public var messages: [Message]

    public init(description: String? = nil, messages: [Message]) {
        self.description = description
        self.messages = messages
    }

    init(json: JSONValue) throws(JSONRPCShapeError) {
        var messages: [Message] = []
        for message in json["messages"]?.arrayValue ?? [] {
            guard let role = message["role"]?.stringValue, let content = message["content"] else {
                throw JSONRPCShapeError("a prompt message without a role and content")
            }
            messages.append(Message(role: role, content: try MCPContent(json: content)))
        }
        self.init(description: json["description"]?.stringValue, messages: messages)
    }
}

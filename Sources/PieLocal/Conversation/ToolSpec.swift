import PieJSON

/// A tool the model may call; `parameters` is its JSON Schema.
public struct ToolSpec: Sendable, Hashable {
    public var name: String
    public var description: String
    public var parameters: JSONValue

    public init(name: String, description: String, parameters: JSONValue) {
        self.name = name
        self.description = description
        self.parameters = parameters
    }
}

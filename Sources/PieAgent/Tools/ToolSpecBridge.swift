import PieLocal

/// Hands tool definitions to the provider layer.
extension ToolDefinition {
    public var toolSpec: ToolSpec {
        ToolSpec(name: name, description: description, parameters: parameters)
    }
}

extension ToolRunner {
    /// The active tools as the provider layer sends them to the model.
    public var toolSpecs: [ToolSpec] { definitions.map(\.toolSpec) }
}

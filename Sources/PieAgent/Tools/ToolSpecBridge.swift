import PieLocal

/// Hands tool definitions to the provider layer, whose `JSONValue` carries request bodies.
///
/// The tools keep their own `ToolJSON` because argument validation needs what `JSONValue` is
/// not built for: insertion-ordered keys, duplicate keys and lone surrogates as errors, and
/// invalid UTF-8 refused instead of replaced.
extension ToolJSON {
    public var jsonValue: JSONValue {
        switch self {
        case .null: .null
        case .bool(let value): .bool(value)
        case .number(let value): .number(value)
        case .string(let value): .string(value)
        case .array(let values): .array(values.map(\.jsonValue))
        case .object(let object):
            .object(Dictionary(object.members.map { ($0.key, $0.value.jsonValue) }, uniquingKeysWith: { $1 }))
        }
    }
}

extension ToolDefinition {
    public var toolSpec: ToolSpec {
        ToolSpec(name: name, description: description, parameters: parameters.jsonValue)
    }
}

extension ToolRunner {
    /// The active tools as the provider layer sends them to the model.
    public var toolSpecs: [ToolSpec] { definitions.map(\.toolSpec) }
}

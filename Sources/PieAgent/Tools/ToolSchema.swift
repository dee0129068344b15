import PieJSON

/// The parameters of a tool, declared once and used twice: rendered as the JSON Schema sent to
/// models, and enforced on every call before anything runs.
///
/// Every object is closed (`additionalProperties: false`): a misspelt field is an error, never
/// silently ignored, because a model that wrote `paht` meant something and should be told.
///
/// A tool defined elsewhere (an MCP server's tool) brings its own JSON Schema instead: the model
/// sees that document as given, and calls are checked by its compiled form.
public struct ToolSchema: Sendable, Equatable {
    public var properties: [Property]
    /// The schema of a tool defined elsewhere; nil for pie's own tools, described by `properties`.
    public private(set) var external: JSONSchema?

    public init(_ properties: [Property]) {
        self.properties = properties
    }

    /// A tool's parameters as another program declared them. Refused when the schema accepts no
    /// JSON object, since a tool's arguments always are one and such a tool could never be called.
    public init(external schema: JSONSchema) throws(JSONSchemaError) {
        guard schema.admitsObjects else {
            throw JSONSchemaError(
                location: "#", keyword: "type",
                reason: "a tool's arguments are a JSON object, but this schema accepts no object; "
                    + "the tool cannot be offered until its schema does")
        }
        properties = []
        external = schema
    }

    public struct Property: Sendable, Equatable {
        public var name: String
        public var type: ValueType
        public var description: String
        public var isRequired: Bool

        public init(_ name: String, _ type: ValueType, _ description: String, required: Bool = false) {
            self.name = name
            self.type = type
            self.description = description
            self.isRequired = required
        }
    }

    public indirect enum ValueType: Sendable, Equatable {
        case string
        /// A JSON number with an integral value (`5` or `5.0`; never the string `"5"`).
        case integer(minimum: Int?)
        /// Any finite number strictly greater than `exclusiveMinimum` when one is given.
        case number(exclusiveMinimum: Double?)
        case boolean
        case array(of: ValueType, minItems: Int)
        case object(ToolSchema)
    }

    /// The JSON Schema for the model, with a stable key order.
    public var jsonSchema: JSONValue { external?.document ?? .object(objectSchema) }

    private var objectSchema: JSONObject {
        var object = JSONObject()
        object["type"] = .string("object")
        var properties = JSONObject()
        for property in self.properties {
            properties[property.name] = .object(Self.render(property.type, description: property.description))
        }
        object["properties"] = .object(properties)
        let required = self.properties.filter(\.isRequired).map { JSONValue.string($0.name) }
        if !required.isEmpty { object["required"] = .array(required) }
        object["additionalProperties"] = .bool(false)
        return object
    }

    /// `type` first, then `description`, then the constraints.
    private static func render(_ type: ValueType, description: String?) -> JSONObject {
        var object = JSONObject()
        switch type {
        case .object(let schema):
            var nested = schema.objectSchema
            if let description { nested = insertingDescription(description, into: nested) }
            return nested
        case .string:
            object["type"] = .string("string")
        case .integer:
            object["type"] = .string("integer")
        case .number:
            object["type"] = .string("number")
        case .boolean:
            object["type"] = .string("boolean")
        case .array:
            object["type"] = .string("array")
        }
        if let description { object["description"] = .string(description) }
        switch type {
        case .integer(let minimum?):
            object["minimum"] = .integer(minimum)
        case .number(let exclusiveMinimum?):
            object["exclusiveMinimum"] = .number(exclusiveMinimum)
        case .array(let items, let minItems):
            object["items"] = .object(render(items, description: nil))
            if minItems > 0 { object["minItems"] = .integer(minItems) }
        default:
            break
        }
        return object
    }

    private static func insertingDescription(_ description: String, into object: JSONObject) -> JSONObject {
        var described = JSONObject([("type", object["type"] ?? .string("object")), ("description", .string(description))])
        for member in object.members where member.key != "type" { described[member.key] = member.value }
        return described
    }
}

extension ToolSchema {
    /// Checks `value` against the schema and lists every problem, each naming the field (with its
    /// full path, e.g. `edits[1].newText`) and what was expected.
    func validate(_ value: JSONValue) -> [String] {
        guard case .object(let object) = value else {
            return ["arguments must be a JSON object (got \(value.typeDescription))"]
        }
        if let external { return external.validate(value, root: "arguments") }
        var problems: [String] = []
        validate(object, prefix: "", into: &problems)
        return problems
    }

    private func validate(_ object: JSONObject, prefix: String, into problems: inout [String]) {
        let known = properties.map(\.name)
        for key in object.keys where !known.contains(key) {
            problems.append("unknown field '\(prefix)\(key)' (expected: \(known.joined(separator: ", ")))")
        }
        for property in properties {
            let field = prefix + property.name
            guard let value = object[property.name] else {
                if property.isRequired { problems.append("missing required field '\(field)'") }
                continue
            }
            Self.check(value, against: property.type, field: field, into: &problems)
        }
    }

    private static func check(_ value: JSONValue, against type: ValueType, field: String, into problems: inout [String]) {
        switch (type, value) {
        case (.string, .string(let text)):
            if text.unicodeScalars.contains("\u{0}") { problems.append("field '\(field)' contains a NUL byte") }
        case (.integer(let minimum), .number(let number)):
            guard number == number.rounded(), abs(number) <= 9_007_199_254_740_991 else {
                problems.append("field '\(field)' must be an integer (got \(value.typeDescription))")
                return
            }
            if let minimum, number < Double(minimum) {
                problems.append("field '\(field)' must be at least \(minimum) (got \(JSONWriter.number(number)))")
            }
        case (.number(let exclusiveMinimum), .number(let number)):
            if let exclusiveMinimum, number <= exclusiveMinimum {
                problems.append(
                    "field '\(field)' must be greater than \(JSONWriter.number(exclusiveMinimum)) (got \(JSONWriter.number(number)))")
            }
        case (.boolean, .bool):
            break
        case (.array(let items, let minItems), .array(let values)):
            if values.count < minItems {
                problems.append("field '\(field)' must have at least \(minItems) item\(minItems == 1 ? "" : "s")")
            }
            for (index, item) in values.enumerated() {
                check(item, against: items, field: "\(field)[\(index)]", into: &problems)
            }
        case (.object(let schema), .object(let object)):
            schema.validate(object, prefix: field + ".", into: &problems)
        default:
            problems.append("field '\(field)' must be \(type.expectation) (got \(value.typeDescription))")
        }
    }
}

extension ToolSchema.ValueType {
    /// "a string", "an integer", … for error messages.
    var expectation: String {
        switch self {
        case .string: "a string"
        case .integer: "an integer"
        case .number: "a number"
        case .boolean: "a boolean"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

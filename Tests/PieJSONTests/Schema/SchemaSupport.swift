import PieJSON

/// Schemas and values written as JSON text, as servers send them.
enum SchemaText {
    static func compile(_ schema: String) throws -> JSONSchema {
        try JSONSchema.compile(JSONParser.parse(schema))
    }

    /// The problems `value` has against `schema`, paths starting at `arguments`.
    static func problems(_ schema: String, _ value: String) throws -> [String] {
        try compile(schema).validate(JSONParser.parse(value), root: "arguments")
    }

    /// The refusal of `schema`, or nil when it compiles.
    static func refusal(_ schema: String) throws -> JSONSchemaError? {
        let document = try JSONParser.parse(schema)
        do {
            _ = try JSONSchema.compile(document)
            return nil
        } catch {
            return error
        }
    }
}

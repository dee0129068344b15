/// The seven type names of JSON Schema's `type` keyword.
enum JSONSchemaType: String, Sendable, CaseIterable {
    case null, boolean, object, array, number, string, integer

    /// Whether `value` is of this type; "integer" is any number without a fractional part (`5.0`
    /// included), as JSON Schema defines it.
    func admits(_ value: JSONValue) -> Bool {
        switch (self, value) {
        case (.null, .null), (.boolean, .bool), (.object, .object), (.array, .array), (.number, .number),
            (.string, .string):
            true
        case (.integer, .number(let number)):
            number.isFinite && number.rounded(.towardZero) == number
        default:
            false
        }
    }

    /// "a string", "an integer", … for problems.
    var phrase: String {
        switch self {
        case .null: "null"
        case .boolean: "a boolean"
        case .object: "an object"
        case .array: "an array"
        case .number: "a number"
        case .string: "a string"
        case .integer: "an integer"
        }
    }
}

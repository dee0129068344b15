/// One compiled (sub)schema. Subschemas are indices into `JSONSchema`'s node list, so a `$ref`
/// is an index like any other and a recursive schema is a cycle of indices, not of values.
struct JSONSchemaNode: Sendable {
    /// `true` or `false` as a whole schema; nil for an object schema.
    var constant: Bool?

    var types: [JSONSchemaType]?
    var enumeration: [JSONValue]?
    var constValue: JSONValue?

    var properties: [(name: String, node: Int)] = []
    var patternProperties: [(pattern: JSONSchemaPattern, node: Int)] = []
    var additionalProperties: Int?
    var propertyNames: Int?
    var required: [String] = []
    var minProperties: Int?
    var maxProperties: Int?

    var prefixItems: [Int] = []
    /// The schema for the items after `prefixItems` (2020-12 `items`, draft-07 `additionalItems`).
    var items: Int?
    var minItems: Int?
    var maxItems: Int?
    var uniqueItems = false

    var minLength: Int?
    var maxLength: Int?
    var pattern: JSONSchemaPattern?

    var minimum: Double?
    var maximum: Double?
    var exclusiveMinimum: Double?
    var exclusiveMaximum: Double?
    var multipleOf: Double?

    var allOf: [Int] = []
    var anyOf: [Int]?
    var oneOf: [Int]?
    var not: Int?
    var reference: Int?

    init(constant: Bool? = nil) {
        self.constant = constant
    }

    /// The subschemas applied to the same value as this one (not to a member or item): a cycle
    /// through these alone would never finish.
    var sameValueEdges: [Int] {
        var edges = allOf + (anyOf ?? []) + (oneOf ?? [])
        if let not { edges.append(not) }
        if let reference { edges.append(reference) }
        return edges
    }
}

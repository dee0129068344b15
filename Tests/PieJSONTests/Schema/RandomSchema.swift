import PieJSON

/// A seeded generator of (schema, instance) pairs over every keyword the oracle can judge alike:
/// schemas in 2020-12 spelling (with `$defs`, a recursive definition and `$ref` beside other
/// keywords) or draft-07 spelling (`definitions`, array `items` with `additionalItems`, a `$ref`
/// alone), and instances drawn from the same small vocabulary so constraints are often hit.
///
/// Left out on purpose, because Python's `jsonschema` (the oracle) and ECMA-262 disagree: `\w`
/// and non-ASCII digits (Python's are Unicode), a string ending in a newline against `$`.
struct RandomSchema {
    /// SplitMix64: small, seedable, the same sequence on every machine.
    private var state: UInt64
    private var draft07 = false

    init(seed: UInt64) {
        state = seed
    }

    static let keys = ["a", "b", "c", "x-1", "x-2"]
    static let strings = ["", "a", "ab", "abc", "b", "x-1", "AB-12", "é", "😀", "e\u{301}", "12", "a b", "ba"]
    static let numbers: [Double] = [-3, -1, 0, 0.5, 1, 2, 2.5, 3, 4.5, 6, 10]
    static let patterns = ["^a", "b$", "^[a-z]+$", "\\d", "^[A-Z]{2}-\\d+$", "^(a|ab)$", "x-", "^.{2}$", "^$", "[^a-c]"]

    /// A schema document and instances to try against it.
    mutating func next() -> (schema: JSONValue, instances: [JSONValue]) {
        draft07 = below(4) == 0
        var root = schema(depth: 3)
        if case .object(var object) = root {
            if draft07 {
                object["$schema"] = "http://json-schema.org/draft-07/schema#"
                object["definitions"] = definitions
            } else {
                object["$defs"] = definitions
            }
            root = .object(object)
        }
        let instances = (0..<4).map { _ in value(depth: 3) }
        return (root, instances)
    }

    private var definitions: JSONValue {
        let tree: JSONValue = [
            "type": "object",
            "properties": ["a": ["type": "integer"], "b": ["items": ["$ref": .string(reference("Tree"))]]],
        ]
        return ["Tree": tree, "Word": ["type": "string", "maxLength": 2], "Small": ["type": "integer", "maximum": 2]]
    }

    private func reference(_ name: String) -> String {
        (draft07 ? "#/definitions/" : "#/$defs/") + name
    }

    private mutating func schema(depth: Int) -> JSONValue {
        if below(12) == 0 { return .bool(below(3) != 0) }
        if below(8) == 0 {
            let name = ["Tree", "Word", "Small"][below(3)]
            guard !draft07 else { return ["$ref": .string(reference(name))] }
            var object = JSONObject()
            object["$ref"] = .string(reference(name))
            if below(2) == 0 { object["minLength"] = .integer(1) }
            return .object(object)
        }
        var object = JSONObject()
        for _ in 0..<(1 + below(3)) { addKeyword(to: &object, depth: depth) }
        return .object(object)
    }

    private mutating func addKeyword(to object: inout JSONObject, depth: Int) {
        let subschema = { (generator: inout RandomSchema) -> JSONValue in
            depth > 0 ? generator.schema(depth: depth - 1) : .bool(generator.below(4) != 0)
        }
        switch below(30) {
        case 0, 1, 2:
            let names = ["null", "boolean", "object", "array", "number", "string", "integer"]
            object["type"] = below(3) == 0 ? .array([.string(names[below(7)]), .string(names[below(7)])]) : .string(names[below(7)])
        case 3: object["enum"] = .array((0..<(1 + below(3))).map { _ in value(depth: 1) })
        case 4: object["const"] = value(depth: 1)
        case 5, 6:
            var properties = JSONObject()
            for key in Self.keys where below(2) == 0 { properties[key] = subschema(&self) }
            object["properties"] = .object(properties)
        case 7: object["required"] = .array(Self.keys.filter { _ in below(3) == 0 }.map { .string($0) })
        case 8: object["additionalProperties"] = below(2) == 0 ? .bool(false) : subschema(&self)
        case 9: object["patternProperties"] = ["^x-": subschema(&self)]
        case 10: object["propertyNames"] = below(2) == 0 ? ["maxLength": 1] : ["pattern": .string(pick(Self.patterns))]
        case 11: object[below(2) == 0 ? "minProperties" : "maxProperties"] = .integer(below(3))
        case 12, 13:
            if draft07, below(2) == 0 {
                object["items"] = .array((0..<(1 + below(2))).map { _ in subschema(&self) })
                if below(2) == 0 { object["additionalItems"] = subschema(&self) }
            } else {
                object["items"] = subschema(&self)
            }
        case 14:
            guard !draft07 else { return }
            object["prefixItems"] = .array((0..<(1 + below(2))).map { _ in subschema(&self) })
        case 15: object[below(2) == 0 ? "minItems" : "maxItems"] = .integer(below(3))
        case 16: object["uniqueItems"] = .bool(below(3) != 0)
        case 17: object[below(2) == 0 ? "minLength" : "maxLength"] = .integer(below(4))
        case 18: object["pattern"] = .string(pick(Self.patterns))
        case 19: object[["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"][below(4)]] = .number(pick(Self.numbers))
        case 20: object["multipleOf"] = .number(pick([2, 3, 0.5, 0.25, 1.5]))
        case 21, 22: object["anyOf"] = .array((0..<(1 + below(3))).map { _ in subschema(&self) })
        case 23, 24: object["oneOf"] = .array((0..<(1 + below(3))).map { _ in subschema(&self) })
        case 25: object["allOf"] = .array((0..<(1 + below(2))).map { _ in subschema(&self) })
        case 26: object["not"] = subschema(&self)
        case 27: object["title"] = "annotation"
        default: object["description"] = "annotation"
        }
    }

    mutating func value(depth: Int) -> JSONValue {
        switch below(depth > 0 ? 8 : 5) {
        case 0: return .null
        case 1: return .bool(below(2) == 0)
        case 2, 3: return .number(pick(Self.numbers))
        case 4: return .string(pick(Self.strings))
        case 5: return .array((0..<below(4)).map { _ in value(depth: depth - 1) })
        default:
            var object = JSONObject()
            for key in Self.keys where below(3) == 0 { object[key] = value(depth: depth - 1) }
            return .object(object)
        }
    }

    private mutating func pick<T>(_ choices: [T]) -> T {
        choices[below(choices.count)]
    }

    private mutating func below(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Int(z % UInt64(bound))
    }
}

/// Turns a schema document into `JSONSchemaNode`s, refusing every keyword it does not know.
///
/// Each subschema is compiled once, keyed by its location (a JSON Pointer fragment), so a `$ref`
/// reached again, or a recursive definition, reuses the node being compiled.
struct JSONSchemaCompiler {
    private let document: JSONValue
    private(set) var nodes: [JSONSchemaNode] = []
    private var indexByLocation: [String: Int] = [:]
    /// Subschemas being compiled, one inside the other (nesting and `$ref`s followed).
    private var depth = 0

    /// Deeper than this the schema is refused, so a server's document cannot exhaust the stack
    /// (JSON nesting alone is capped by the parser; a chain of `$ref`s is not).
    static let maxDepth = 200

    init(document: JSONValue) {
        self.document = document
    }

    /// Keywords that describe but do not constrain; JSON Schema validators ignore them too.
    /// `discriminator` is OpenAPI's (pydantic emits it beside `oneOf`, which does the checking).
    static let annotations: Set<String> = [
        "title", "description", "default", "examples", "$schema", "$id", "$comment", "format", "deprecated",
        "readOnly", "writeOnly", "contentMediaType", "contentEncoding", "discriminator",
    ]

    /// The drafts whose spellings pie reads (2020-12 and 2019-09, draft-07, -06 and -04's
    /// boolean `exclusiveMinimum`), without the scheme's `s` or the trailing `#` mattering.
    static let knownDrafts: Set<String> = [
        "json-schema.org/draft-04/schema", "json-schema.org/draft-06/schema", "json-schema.org/draft-07/schema",
        "json-schema.org/draft/2019-09/schema", "json-schema.org/draft/2020-12/schema",
    ]

    mutating func compileRoot() throws(JSONSchemaError) -> Int {
        let root = try compile(document, at: "#")
        try refuseSameValueCycles()
        return root
    }

    mutating func compile(_ schema: JSONValue, at location: String) throws(JSONSchemaError) -> Int {
        if let index = indexByLocation[location] { return index }
        guard depth < Self.maxDepth else {
            throw JSONSchemaError(
                location: location, keyword: nil,
                reason: "subschemas nest (through members or $refs) more than \(Self.maxDepth) levels deep; the schema is refused")
        }
        depth += 1
        defer { depth -= 1 }
        let index = nodes.count
        indexByLocation[location] = index
        switch schema {
        case .bool(let flag):
            nodes.append(JSONSchemaNode(constant: flag))
        case .object(let object):
            nodes.append(JSONSchemaNode())
            nodes[index] = try compile(object, at: location)
        default:
            throw JSONSchemaError(
                location: location, keyword: nil, reason: "a schema must be an object or a boolean (got \(schema.kindPhrase))")
        }
        return index
    }

    private mutating func compile(_ object: JSONObject, at location: String) throws(JSONSchemaError) -> JSONSchemaNode {
        var node = JSONSchemaNode()
        var itemsValue: JSONValue?
        var additionalItems: JSONValue?
        var prefixItems: JSONValue?
        var draft4ExclusiveMinimum = false
        var draft4ExclusiveMaximum = false
        for key in object.keys {
            guard let value = object[key] else { continue }
            let here = location + "/" + JSONSchemaPointer.escape(key)
            switch key {
            case "$id" where location != "#":
                throw JSONSchemaError(
                    location: location, keyword: key,
                    reason: "a nested $id starts a separate schema resource, which pie does not resolve; the schema is refused")
            case "$schema":
                try checkDraft(value, at: location)
            case _ where Self.annotations.contains(key):
                continue
            case "$defs", "definitions":
                guard case .object = value else { throw .invalid(key, at: location, "an object of schemas") }
            case "type":
                node.types = try types(value, at: location)
            case "enum":
                guard case .array(let values) = value else { throw .invalid(key, at: location, "an array") }
                node.enumeration = values
            case "const":
                node.constValue = value
            case "properties":
                guard case .object(let members) = value else { throw .invalid(key, at: location, "an object of schemas") }
                for member in members {
                    let child = try compile(member.value, at: here + "/" + JSONSchemaPointer.escape(member.key))
                    node.properties.append((member.key, child))
                }
            case "patternProperties":
                guard case .object(let members) = value else { throw .invalid(key, at: location, "an object of schemas") }
                for member in members {
                    let pattern = try JSONSchemaPattern(member.key, keyword: key, at: location)
                    let child = try compile(member.value, at: here + "/" + JSONSchemaPointer.escape(member.key))
                    node.patternProperties.append((pattern, child))
                }
            case "additionalProperties":
                node.additionalProperties = try compile(value, at: here)
            case "propertyNames":
                node.propertyNames = try compile(value, at: here)
            case "required":
                guard case .array(let names) = value else { throw .invalid(key, at: location, "an array of strings") }
                for name in names {
                    guard case .string(let text) = name, !node.required.contains(text) else {
                        throw .invalid(key, at: location, "an array of distinct strings")
                    }
                    node.required.append(text)
                }
            case "minProperties": node.minProperties = try count(value, key, at: location)
            case "maxProperties": node.maxProperties = try count(value, key, at: location)
            case "items": itemsValue = value
            case "prefixItems": prefixItems = value
            case "additionalItems": additionalItems = value
            case "minItems": node.minItems = try count(value, key, at: location)
            case "maxItems": node.maxItems = try count(value, key, at: location)
            case "uniqueItems":
                guard case .bool(let flag) = value else { throw .invalid(key, at: location, "a boolean") }
                node.uniqueItems = flag
            case "minLength": node.minLength = try count(value, key, at: location)
            case "maxLength": node.maxLength = try count(value, key, at: location)
            case "pattern":
                guard case .string(let source) = value else { throw .invalid(key, at: location, "a string") }
                node.pattern = try JSONSchemaPattern(source, keyword: key, at: location)
            case "minimum": node.minimum = try number(value, key, at: location)
            case "maximum": node.maximum = try number(value, key, at: location)
            case "exclusiveMinimum":
                if case .bool(let flag) = value { draft4ExclusiveMinimum = flag } else {
                    node.exclusiveMinimum = try number(value, key, at: location)
                }
            case "exclusiveMaximum":
                if case .bool(let flag) = value { draft4ExclusiveMaximum = flag } else {
                    node.exclusiveMaximum = try number(value, key, at: location)
                }
            case "multipleOf":
                let divisor = try number(value, key, at: location)
                guard divisor > 0 else { throw .invalid(key, at: location, "a number greater than 0") }
                node.multipleOf = divisor
            case "allOf": node.allOf = try schemas(value, key, at: location)
            case "anyOf": node.anyOf = try schemas(value, key, at: location)
            case "oneOf": node.oneOf = try schemas(value, key, at: location)
            case "not": node.not = try compile(value, at: here)
            case "$ref":
                guard case .string(let reference) = value else { throw .invalid(key, at: location, "a string") }
                let target = try resolve(reference, at: location)
                node.reference = try compile(target.value, at: target.location)
            default:
                throw .unsupported(key, at: location)
            }
        }
        // Draft-04 spells an exclusive bound as a boolean beside `minimum`/`maximum`.
        if draft4ExclusiveMinimum, let minimum = node.minimum {
            node.exclusiveMinimum = max(node.exclusiveMinimum ?? -.infinity, minimum)
            node.minimum = nil
        }
        if draft4ExclusiveMaximum, let maximum = node.maximum {
            node.exclusiveMaximum = min(node.exclusiveMaximum ?? .infinity, maximum)
            node.maximum = nil
        }
        try compileItems(items: itemsValue, prefixItems: prefixItems, additionalItems: additionalItems, into: &node, at: location)
        return node
    }

    /// 2020-12: `prefixItems` for the first items, `items` for the rest. Draft-07: `items` as an
    /// array for the first items, `additionalItems` for the rest (ignored, as that draft says,
    /// when `items` is a single schema or absent).
    private mutating func compileItems(
        items: JSONValue?, prefixItems: JSONValue?, additionalItems: JSONValue?, into node: inout JSONSchemaNode,
        at location: String
    ) throws(JSONSchemaError) {
        if let prefixItems { node.prefixItems = try schemas(prefixItems, "prefixItems", at: location) }
        guard let items else { return }
        if case .array = items {
            guard prefixItems == nil else {
                throw JSONSchemaError(
                    location: location, keyword: "items",
                    reason: "an array of schemas (draft-07) cannot be combined with prefixItems (2020-12); use one spelling")
            }
            node.prefixItems = try schemas(items, "items", at: location, allowEmpty: true)
            if let additionalItems { node.items = try compile(additionalItems, at: location + "/additionalItems") }
        } else {
            node.items = try compile(items, at: location + "/items")
        }
    }

    /// An array of subschemas under `keyword` of the schema at `location`.
    private mutating func schemas(
        _ value: JSONValue, _ keyword: String, at location: String, allowEmpty: Bool = false
    ) throws(JSONSchemaError) -> [Int] {
        guard case .array(let elements) = value, allowEmpty || !elements.isEmpty else {
            throw .invalid(keyword, at: location, allowEmpty ? "an array of schemas" : "a non-empty array of schemas")
        }
        var indices: [Int] = []
        for (offset, element) in elements.enumerated() {
            indices.append(try compile(element, at: location + "/" + JSONSchemaPointer.escape(keyword) + "/\(offset)"))
        }
        return indices
    }

    private func types(_ value: JSONValue, at location: String) throws(JSONSchemaError) -> [JSONSchemaType] {
        let expectation = "a type name or an array of them (\(JSONSchemaType.allCases.map(\.rawValue).joined(separator: ", ")))"
        let names: [JSONValue]
        switch value {
        case .string: names = [value]
        case .array(let elements): names = elements
        default: throw .invalid("type", at: location, expectation)
        }
        var types: [JSONSchemaType] = []
        for name in names {
            guard case .string(let text) = name, let type = JSONSchemaType(rawValue: text), !types.contains(type) else {
                throw .invalid("type", at: location, expectation + ", each at most once")
            }
            types.append(type)
        }
        return types
    }

    private func count(_ value: JSONValue, _ keyword: String, at location: String) throws(JSONSchemaError) -> Int {
        guard case .number(let number) = value, number >= 0, number.rounded() == number,
              number < JSONNumber.exactIntegerLimit
        else { throw .invalid(keyword, at: location, "a non-negative integer") }
        return Int(number)
    }

    private func number(_ value: JSONValue, _ keyword: String, at location: String) throws(JSONSchemaError) -> Double {
        guard case .number(let number) = value else { throw .invalid(keyword, at: location, "a number") }
        return number
    }

    private func checkDraft(_ value: JSONValue, at location: String) throws(JSONSchemaError) {
        guard case .string(let uri) = value else { throw .invalid("$schema", at: location, "a string") }
        var name = Substring(uri)
        if name.hasSuffix("#") { name = name.dropLast() }
        for scheme in ["https://", "http://"] where name.hasPrefix(scheme) { name = name.dropFirst(scheme.count) }
        guard Self.knownDrafts.contains(String(name)) else {
            throw JSONSchemaError(
                location: location, keyword: "$schema",
                reason: "\(JSONValue.string(uri).rendered) is not a draft pie knows (2020-12, 2019-09, draft-07, -06, -04); "
                    + "its keywords could mean something pie does not check, so the schema is refused")
        }
    }

    /// A `$ref` within this document: `#` or a JSON Pointer fragment (`#/$defs/Item`).
    private func resolve(_ reference: String, at location: String) throws(JSONSchemaError) -> (value: JSONValue, location: String) {
        guard reference == "#" || reference.hasPrefix("#/") else {
            throw JSONSchemaError(
                location: location, keyword: "$ref",
                reason: "\(JSONValue.string(reference).rendered) is not a reference within this schema; pie resolves only "
                    + "'#' and JSON Pointers such as '#/$defs/Name', never remote documents or anchors, so the schema is refused")
        }
        guard let components = JSONSchemaPointer.components(ofFragment: reference) else {
            throw JSONSchemaError(
                location: location, keyword: "$ref", reason: "\(JSONValue.string(reference).rendered) is not a valid JSON Pointer")
        }
        var value = document
        for component in components {
            guard let child = JSONSchemaPointer.child(of: value, component) else {
                throw JSONSchemaError(
                    location: location, keyword: "$ref",
                    reason: "\(JSONValue.string(reference).rendered) points to nothing in this schema")
            }
            value = child
        }
        return (value, JSONSchemaPointer.fragment(components))
    }

    /// Refuses a loop of `$ref`/`allOf`/`anyOf`/`oneOf`/`not` that returns to a schema without
    /// descending into a member or an item: checking it would never end.
    private func refuseSameValueCycles() throws(JSONSchemaError) {
        enum Mark { case unvisited, inProgress, done }
        var marks = [Mark](repeating: .unvisited, count: nodes.count)
        let locations = Dictionary(uniqueKeysWithValues: indexByLocation.map { ($0.value, $0.key) })
        for start in nodes.indices where marks[start] == .unvisited {
            var stack: [(node: Int, next: Int)] = [(start, 0)]
            marks[start] = .inProgress
            while let top = stack.last {
                let edges = nodes[top.node].sameValueEdges
                guard top.next < edges.count else {
                    marks[top.node] = .done
                    stack.removeLast()
                    continue
                }
                stack[stack.count - 1].next += 1
                let target = edges[top.next]
                switch marks[target] {
                case .inProgress:
                    let loop = stack.drop { $0.node != target }.map { locations[$0.node] ?? "?" } + [locations[target] ?? "?"]
                    throw JSONSchemaError(
                        location: locations[target] ?? "#", keyword: "$ref",
                        reason: "the references loop back to the same value without descending into it ("
                            + loop.joined(separator: " → ") + "); no value could ever be checked, so the schema is refused")
                case .unvisited:
                    marks[target] = .inProgress
                    stack.append((target, 0))
                case .done:
                    continue
                }
            }
        }
    }
}

/// A JSON Schema compiled for checking values, such as the `inputSchema` an MCP server gives for
/// a tool. Compiling refuses any keyword pie does not check (docs/tools.md, "MCP tools'
/// arguments"), so what passes `validate` is what the schema's author asked for, never less.
///
/// Supported: `type`, `enum`, `const`; `properties`, `required`, `additionalProperties`,
/// `patternProperties`, `propertyNames`, `minProperties`, `maxProperties`; `items` (a schema, or
/// draft-07's array with `additionalItems`), `prefixItems`, `minItems`, `maxItems`,
/// `uniqueItems`; `minLength`, `maxLength`, `pattern`; `minimum`, `maximum`, `exclusiveMinimum`,
/// `exclusiveMaximum` (numbers, or draft-04's booleans), `multipleOf`; `allOf`, `anyOf`, `oneOf`,
/// `not`; `$ref` to `#` or a JSON Pointer in the same document (`#/$defs/…`, `#/definitions/…`);
/// `true` and `false` as schemas. Annotations are ignored.
public struct JSONSchema: Sendable, Equatable {
    /// The document as given: what a model is shown.
    public let document: JSONValue
    let nodes: [JSONSchemaNode]
    let root: Int

    /// Problems listed before the rest are only counted.
    public static let problemLimit = 20

    public static func compile(_ document: JSONValue) throws(JSONSchemaError) -> JSONSchema {
        var compiler = JSONSchemaCompiler(document: document)
        let root = try compiler.compileRoot()
        return JSONSchema(document: document, nodes: compiler.nodes, root: root)
    }

    private init(document: JSONValue, nodes: [JSONSchemaNode], root: Int) {
        self.document = document
        self.nodes = nodes
        self.root = root
    }

    /// Every problem with `value`, each as `PATH: what was expected, got what`, where PATH starts
    /// at `root` (`arguments.items[2].name: expected a string, got the number 3`); after
    /// `problemLimit` of them, one last entry says how many more there were. Empty when valid.
    public func validate(_ value: JSONValue, root rootName: String = "value") -> [String] {
        var validator = JSONSchemaValidator(nodes: nodes, root: rootName)
        var problems: [JSONSchemaProblem] = []
        validator.check(value, root, path: "", into: &problems)
        let rendered = problems.prefix(Self.problemLimit).map { $0.rendered(root: rootName) }
        guard problems.count > Self.problemLimit else { return rendered }
        let more = problems.count - Self.problemLimit
        return rendered + ["and \(more) more problem\(more == 1 ? "" : "s")"]
    }

    public func isValid(_ value: JSONValue) -> Bool {
        var validator = JSONSchemaValidator(nodes: nodes, root: "value")
        var problems: [JSONSchemaProblem] = []
        validator.check(value, root, path: "", into: &problems)
        return problems.isEmpty
    }

    /// Whether the top level can accept some object: false when its `type` (directly or through
    /// `$ref`, `allOf`, `anyOf`, `oneOf`) leaves objects out, or it is `false`. A tool's input
    /// schema must accept objects, since tool arguments are one.
    public var admitsObjects: Bool {
        var visiting: Set<Int> = []
        return admitsObjects(root, visiting: &visiting)
    }

    private func admitsObjects(_ index: Int, visiting: inout Set<Int>) -> Bool {
        guard visiting.insert(index).inserted else { return true }
        defer { visiting.remove(index) }
        let node = nodes[index]
        if let constant = node.constant { return constant }
        if let types = node.types, !types.contains(.object) { return false }
        if let reference = node.reference, !admitsObjects(reference, visiting: &visiting) { return false }
        for schema in node.allOf where !admitsObjects(schema, visiting: &visiting) { return false }
        for alternatives in [node.anyOf, node.oneOf].compactMap({ $0 }) {
            guard alternatives.contains(where: { admitsObjects($0, visiting: &visiting) }) else { return false }
        }
        return true
    }

    /// Two schemas are the same when their documents are: the rest is compiled from it.
    public static func == (lhs: JSONSchema, rhs: JSONSchema) -> Bool {
        lhs.document == rhs.document
    }
}

import PieJSON
import PieLocal
import PiePolicy
import Synchronization
import Testing

@testable import PieAgent

/// A tool whose parameters another program declared (as an MCP server does): the model sees the
/// server's schema as given, and calls go through the same strict validation as pie's own tools.
///
/// The schemas are exactly what the Python `mcp` SDK 2.3.0's `MCPServer` (FastMCP renamed; pydantic
/// 2.13.4) lists as `inputSchema` for these functions:
///
///     def search_issues(query: str, limit: int = 10, state: Literal["open", "closed"] | None = None)
///     def create_order(items: list[Item], color: Color, note: Optional[str] = None,
///                      priority: Annotated[float, Field(gt=0, multiple_of=0.5)] = 1.0)
///         # Item(BaseModel): name: str; quantity: int = Field(ge=1, le=100); tags: list[str] = []
///         # Color(str, Enum): red, green
///     def tree(root: Node, code: Annotated[str, Field(pattern=r"^[A-Z]{3}-\d+$", min_length=5,
///              max_length=12)], labels: dict[str, int] = {})   # Node: value: int; children: list[Node]
///     def pets(pet: Annotated[Union[Cat, Dog], Field(discriminator="kind")], when: datetime,
///              id: UUID, price: Decimal, point: tuple[int, float], tags: set[str], blob: bytes = b"")
@Suite("external (MCP) tool schemas")
struct ExternalSchemaTests {
    static let searchIssues = #"{"properties": {"query": {"title": "Query", "type": "string"}, "limit": {"default": 10, "title": "Limit", "type": "integer"}, "state": {"anyOf": [{"enum": ["open", "closed"], "type": "string"}, {"type": "null"}], "default": null, "title": "State"}}, "required": ["query"], "title": "search_issuesArguments", "type": "object"}"#
    static let createOrder = ##"{"$defs": {"Color": {"enum": ["red", "green"], "title": "Color", "type": "string"}, "Item": {"properties": {"name": {"title": "Name", "type": "string"}, "quantity": {"maximum": 100, "minimum": 1, "title": "Quantity", "type": "integer"}, "tags": {"default": [], "items": {"type": "string"}, "title": "Tags", "type": "array"}}, "required": ["name", "quantity"], "title": "Item", "type": "object"}}, "properties": {"items": {"items": {"$ref": "#/$defs/Item"}, "title": "Items", "type": "array"}, "color": {"$ref": "#/$defs/Color"}, "note": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": null, "title": "Note"}, "priority": {"default": 1.0, "exclusiveMinimum": 0, "multipleOf": 0.5, "title": "Priority", "type": "number"}}, "required": ["items", "color"], "title": "create_orderArguments", "type": "object"}"##
    static let tree = ##"{"$defs": {"Node": {"properties": {"value": {"title": "Value", "type": "integer"}, "children": {"default": [], "items": {"$ref": "#/$defs/Node"}, "title": "Children", "type": "array"}}, "required": ["value"], "title": "Node", "type": "object"}}, "properties": {"root": {"$ref": "#/$defs/Node"}, "code": {"maxLength": 12, "minLength": 5, "pattern": "^[A-Z]{3}-\\d+$", "title": "Code", "type": "string"}, "labels": {"additionalProperties": {"type": "integer"}, "default": {}, "title": "Labels", "type": "object"}}, "required": ["root", "code"], "title": "treeArguments", "type": "object"}"##
    static let pets = ##"{"$defs": {"Cat": {"properties": {"kind": {"const": "cat", "title": "Kind", "type": "string"}, "lives": {"default": 9, "title": "Lives", "type": "integer"}}, "required": ["kind"], "title": "Cat", "type": "object"}, "Dog": {"properties": {"kind": {"const": "dog", "title": "Kind", "type": "string"}, "good": {"default": true, "title": "Good", "type": "boolean"}}, "required": ["kind"], "title": "Dog", "type": "object"}}, "properties": {"pet": {"discriminator": {"mapping": {"cat": "#/$defs/Cat", "dog": "#/$defs/Dog"}, "propertyName": "kind"}, "oneOf": [{"$ref": "#/$defs/Cat"}, {"$ref": "#/$defs/Dog"}], "title": "Pet"}, "when": {"format": "date-time", "title": "When", "type": "string"}, "id": {"format": "uuid", "title": "Id", "type": "string"}, "price": {"anyOf": [{"type": "number"}, {"pattern": "^(?!^[-+.]*$)[+-]?0*\\d*\\.?\\d*$", "type": "string"}], "title": "Price"}, "point": {"maxItems": 2, "minItems": 2, "prefixItems": [{"type": "integer"}, {"type": "number"}], "title": "Point", "type": "array"}, "tags": {"items": {"type": "string"}, "title": "Tags", "type": "array", "uniqueItems": true}, "blob": {"default": "", "format": "binary", "title": "Blob", "type": "string"}}, "required": ["pet", "when", "id", "price", "point", "tags"], "title": "petsArguments", "type": "object"}"##

    private func tool(_ schema: String, name: String = "mcp__demo__tool") throws -> ExternalTool {
        ExternalTool(name: name, schema: try ToolSchema(external: JSONSchema.compile(JSONParser.parse(schema))))
    }

    /// The model-facing error text for `arguments`, or nil when they pass.
    private func problems(_ schema: String, _ arguments: String) throws -> String? {
        switch ToolArguments.validate(Array(arguments.utf8), for: try tool(schema)) {
        case .success: nil
        case .failure(let error): error.description
        }
    }

    @Test func theModelSeesTheServersDocumentAsGiven() throws {
        for schema in [Self.searchIssues, Self.createOrder, Self.tree, Self.pets] {
            let document = try JSONParser.parse(schema)
            let external = try tool(schema)
            #expect(external.schema.jsonSchema == document)
            #expect(external.schema.jsonSchema.rendered == document.rendered, "member order kept")
            let runner = ToolRunner(tools: [external], context: ToolFixture().context())
            #expect(runner.toolSpecs.first?.parameters == document)
        }
    }

    @Test func validArgumentsPass() throws {
        #expect(try problems(Self.searchIssues, #"{"query":"crash"}"#) == nil)
        #expect(try problems(Self.searchIssues, #"{"query":"crash","limit":5,"state":null}"#) == nil)
        #expect(try problems(Self.createOrder, #"{"items":[{"name":"tea","quantity":2,"tags":["hot"]}],"color":"red","note":null,"priority":1.5}"#) == nil)
        #expect(try problems(Self.tree, #"{"root":{"value":1,"children":[{"value":2}]},"code":"ABC-12","labels":{"a":1}}"#) == nil)
        #expect(
            try problems(Self.pets, #"{"pet":{"kind":"dog"},"when":"2026-12-07T18:00:00Z","id":"x","price":"-1.50","point":[1,2.5],"tags":["a","b"]}"#) == nil)
        // pydantic leaves objects open: members the schema does not name pass.
        #expect(try problems(Self.searchIssues, #"{"query":"x","extra":true}"#) == nil)
    }

    @Test func everyProblemIsNamedWithItsPath() throws {
        #expect(
            try problems(Self.createOrder, #"{"items":[{"name":"tea","quantity":101},{"quantity":"2"}],"color":"blue","priority":0.3}"#)
                == "Invalid arguments for mcp__demo__tool: "
                + "arguments.items[0].quantity: expected at most 100, got 101; "
                + #"arguments.items[1]: missing required property "name"; "#
                + #"arguments.items[1].quantity: expected an integer, got the string "2"; "#
                + #"arguments.color: expected one of "red", "green", got the string "blue"; "#
                + "arguments.priority: expected a multiple of 0.5, got 0.3")
        #expect(
            try problems(Self.searchIssues, #"{"limit":"10","state":"merged"}"#)
                == "Invalid arguments for mcp__demo__tool: "
                + #"arguments: missing required property "query"; "#
                + #"arguments.limit: expected an integer, got the string "10"; "#
                + #"arguments.state: expected one of "open", "closed", got the string "merged""#)
        #expect(
            try problems(Self.tree, #"{"root":{"value":1,"children":[{"children":[]}]},"code":"abc-1","labels":{"a":"1"}}"#)
                == "Invalid arguments for mcp__demo__tool: "
                + #"arguments.root.children[0]: missing required property "value"; "#
                + #"arguments.code: expected a string matching /^[A-Z]{3}-\d+$/, got the string "abc-1"; "#
                + #"arguments.labels.a: expected an integer, got the string "1""#)
        #expect(
            try problems(Self.pets, #"{"pet":{"kind":"cow"},"when":1,"id":"x","price":"1.2.3","point":[1],"tags":["a","a"]}"#)
                == "Invalid arguments for mcp__demo__tool: "
                + "arguments.pet: matches none of the 2 alternatives of oneOf: "
                + #"(1) arguments.pet.kind: expected exactly "cat", got the string "cow" "#
                + #"(2) arguments.pet.kind: expected exactly "dog", got the string "cow"; "#
                + "arguments.when: expected a string, got the number 1; "
                + #"arguments.price: expected a string matching /^(?!^[-+.]*$)[+-]?0*\d*\.?\d*$/, got the string "1.2.3"; "#
                + "arguments.point: expected at least 2 items, got 1; "
                + "arguments.tags: expected unique items, but items [0] and [1] are equal")
    }

    @Test func strictParsingStillComesFirst() throws {
        #expect(
            try problems(Self.searchIssues, #"{"query":"a","query":"b"}"#)?.hasPrefix("Invalid arguments for mcp__demo__tool: arguments are not valid JSON") == true)
        #expect(try problems(Self.searchIssues, "[1]") == "Invalid arguments for mcp__demo__tool: arguments must be a JSON object (got array)")
    }

    @Test func aSchemaThatAcceptsNoObjectIsRefused() throws {
        for schema in [#"{"type":"array"}"#, "false", #"{"anyOf":[{"type":"string"},{"type":"null"}]}"#] {
            #expect(throws: JSONSchemaError.self, "\(schema)") { _ = try tool(schema) }
        }
        #expect(try tool("{}").schema.external != nil)
        #expect(try tool("true").schema.external != nil)
    }

    @Test func builtInSchemasStayAsTheyWere() {
        for tool in CodingTools.all {
            #expect(tool.schema.external == nil)
            #expect(tool.schema.jsonSchema["additionalProperties"] == .bool(false))
        }
    }

    @Test func invalidCallsNeverRunTheTool() async throws {
        let ran = RunCount()
        let external = ExternalTool(
            name: "mcp__demo__search_issues",
            schema: try ToolSchema(external: JSONSchema.compile(JSONParser.parse(Self.searchIssues))), ran: ran)
        let runner = ToolRunner(tools: [external], context: ToolFixture().context())
        let refused = await runner.run(
            ToolCall(id: "1", name: external.name, rawArguments: #"{"query":3}"#), hooks: AgentHooks())
        #expect(refused.isError)
        #expect(refused.text == "Invalid arguments for mcp__demo__search_issues: arguments.query: expected a string, got the number 3")
        #expect(ran.count.withLock { $0 } == 0)
        let accepted = await runner.run(
            ToolCall(id: "2", name: external.name, rawArguments: #"{"query":"crash"}"#), hooks: AgentHooks())
        #expect(!accepted.isError)
        #expect(ran.count.withLock { $0 } == 1)
    }
}

/// A tool with an external schema that counts its runs.
private struct ExternalTool: AgentTool {
    let name: String
    let description = "a tool declared by another program"
    let schema: ToolSchema
    let ran: RunCount?

    init(name: String, schema: ToolSchema, ran: RunCount? = nil) {
        self.name = name
        self.schema = schema
        self.ran = ran
    }

    func policyRequest(_ arguments: ValidatedArguments, context: ToolContext) -> ToolRequest {
        .file(tool: .read, path: context.cwd)
    }

    func execute(_ arguments: ValidatedArguments, context: ToolContext) async throws(ToolFailure) -> ToolResult {
        ran?.count.withLock { $0 += 1 }
        return .text("ran")
    }
}

private final class RunCount: Sendable {
    let count = Mutex(0)
}

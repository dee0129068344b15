import PieJSON
import Testing

/// "What is not known is not allowed": a schema pie cannot fully check is refused at compile,
/// naming the keyword and where it is.
@Suite struct JSONSchemaRefusalTests {
    @Test(arguments: [
        "if", "then", "else", "dependentSchemas", "dependentRequired", "dependencies", "unevaluatedProperties",
        "unevaluatedItems", "contains", "minContains", "$anchor", "$dynamicRef", "$recursiveRef", "x-custom", "nullable",
    ])
    func unknownKeywordsAreRefused(keyword: String) throws {
        let document: JSONValue = ["type": "object", "properties": ["when": [.init(stringLiteral: keyword): true]]]
        #expect(throws: JSONSchemaError.unsupportedForTest(keyword, at: "#/properties/when")) {
            try JSONSchema.compile(document)
        }
    }

    @Test func refusalMessageNamesKeywordPlaceAndWhy() throws {
        let error = try #require(try SchemaText.refusal(#"{"properties":{"a":{"items":{"if":{}}}}}"#))
        #expect(error.keyword == "if")
        #expect(error.location == "#/properties/a/items")
        #expect(error.description.hasPrefix("JSON Schema keyword 'if' at #/properties/a/items: not supported, so pie could not check what the server expects"))
    }

    @Test func unknownKeywordInsideDefsIsRefusedWhenUsed() throws {
        #expect(try SchemaText.refusal(##"{"$defs":{"A":{"if":true}},"properties":{"a":{"$ref":"#/$defs/A"}}}"##)?.location == "#/$defs/A")
        // A definition nothing refers to is never checked against, so it does not matter.
        #expect(try SchemaText.refusal(#"{"$defs":{"A":{"if":true}},"type":"object"}"#) == nil)
    }

    @Test func remoteAndAnchorReferencesAreRefused() throws {
        for reference in ["https://example.com/schema.json", "other.json#/a", "#anchor", "#/$defs/Missing", "#/$defs/A~2"] {
            let error = try #require(try SchemaText.refusal(#"{"$defs":{"A":true},"properties":{"a":{"$ref":"\#(reference)"}}}"#), "\(reference)")
            #expect(error.keyword == "$ref")
            #expect(error.location == "#/properties/a")
        }
    }

    @Test func malformedKeywordValuesAreRefused() throws {
        let cases: [(String, String)] = [
            (#"{"type":"text"}"#, "type"), (#"{"type":["string",1]}"#, "type"), (#"{"required":"a"}"#, "required"),
            (#"{"minLength":-1}"#, "minLength"), (#"{"maxItems":1.5}"#, "maxItems"), (#"{"multipleOf":0}"#, "multipleOf"),
            (#"{"minimum":"1"}"#, "minimum"), (#"{"anyOf":[]}"#, "anyOf"), (#"{"allOf":{}}"#, "allOf"),
            (#"{"properties":[]}"#, "properties"), (#"{"enum":"a"}"#, "enum"), (#"{"uniqueItems":1}"#, "uniqueItems"),
            (#"{"pattern":1}"#, "pattern"), (#"{"$defs":[]}"#, "$defs"), (#"{"$ref":1}"#, "$ref"),
            (#"{"items":[{}],"prefixItems":[{}]}"#, "items"), (#"{"$schema":"https://example.com/my-meta"}"#, "$schema"),
            (#"{"properties":{"a":{"$id":"urn:a"}}}"#, "$id"),
        ]
        for (schema, keyword) in cases {
            let error = try #require(try SchemaText.refusal(schema), "\(schema) compiled")
            #expect(error.keyword == keyword, "\(schema): \(error)")
        }
        #expect(try SchemaText.refusal(##"{"properties":{"a":3}}"##)?.location == "#/properties/a")
    }

    @Test func patternThatDoesNotCompileIsRefused() throws {
        let error = try #require(try SchemaText.refusal(#"{"properties":{"code":{"pattern":"^(ab"}}}"#))
        #expect(error.keyword == "pattern")
        #expect(error.location == "#/properties/code")
        #expect(error.description.contains(#""^(ab" does not compile"#))
        #expect(try SchemaText.refusal(#"{"patternProperties":{"[":{}}}"#)?.keyword == "patternProperties")
    }
}

extension JSONSchemaError {
    static func unsupportedForTest(_ keyword: String, at location: String) -> JSONSchemaError {
        JSONSchemaError(
            location: location, keyword: keyword,
            reason: "not supported, so pie could not check what the server expects; the schema is refused "
                + "(supported keywords: docs/tools.md, \"MCP tools' arguments\")")
    }
}

/// The regular-expression forms docs/tools.md says Swift's `Regex` cannot compile: refused, never
/// matched loosely.
@Suite struct JSONSchemaPatternLimitTests {
    @Test(arguments: ["(?<=a)b", "\\cJ", "[^]", "[\\d-z]"])
    func unsupportedFormsRefuseTheSchema(pattern: String) throws {
        let document: JSONValue = ["properties": ["code": ["pattern": .string(pattern)]]]
        #expect(throws: JSONSchemaError.self) { try JSONSchema.compile(document) }
    }
}

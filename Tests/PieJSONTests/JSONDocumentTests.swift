import Testing
@testable import PieJSON

/// `JSONDocument` reads stream chunks in place; every read must agree with the `JSONValue` tree
/// the same bytes parse into.
@Suite struct JSONDocumentTests {
    private func document(_ text: String) throws -> JSONDocument {
        try JSONDocument(Array(text.utf8))
    }

    @Test func readsAgreeWithTheTree() throws {
        let text = #"""
            {"s": "a\"b", "n": -12.5, "i": 42, "t": true, "f": false, "z": null,
             "list": [1, "two", [3], {"four": 4}], "nested": {"deeper": {"leaf": "x"}}}
            """#
        let root = try document(text).root
        let tree = try JSONParser.parse(text)
        #expect(root.value == tree)
        #expect(root["s"]?.stringValue == "a\"b")
        #expect(root["n"]?.doubleValue == -12.5)
        #expect(root["i"]?.intValue == 42)
        #expect(root["t"]?.boolValue == true)
        #expect(root["f"]?.boolValue == false)
        #expect(root["z"]?.isNull == true)
        #expect(root["list"]?[1]?.stringValue == "two")
        #expect(root["list"]?[2]?[0]?.intValue == 3)
        #expect(root["list"]?[3]?["four"]?.intValue == 4)
        #expect(root["list"]?.items.map(\.value) == tree["list"]?.arrayValue)
        #expect(root["nested"]?["deeper"]?["leaf"]?.stringValue == "x")
        #expect(root["missing"] == nil)
        let inOrder = ["s", "n", "i", "t", "f", "z", "list", "nested"].compactMap { tree[$0] }
        #expect(root.members.map(\.value.value) == inOrder)
    }

    @Test func repeatedNamesReadTheLastOne() throws {
        let root = try document(#"{"a": 1, "b": 2, "a": 3}"#).root
        #expect(root["a"]?.intValue == 3)
        #expect(root.members.filter { $0.isNamed("a") }.map { $0.value.intValue } == [1, 3])
        #expect(try JSONParser.parse(#"{"a": 1, "b": 2, "a": 3}"#)["a"] == 3)
    }

    /// Names match by their decoded bytes, as other JSON readers match them: escapes are decoded,
    /// and canonically equivalent spellings (which `String` equality would take as one) are two
    /// names, in the document and in the tree alike.
    @Test func namesMatchByDecodedBytes() throws {
        #expect(try document(#"{"\u0061": 1}"#).root["a"]?.intValue == 1)
        #expect(try document(#"{"caf\u00e9": 1}"#).root["caf\u{E9}"]?.intValue == 1)
        let decomposed = try document("{\"cafe\u{301}\": 1}").root
        #expect(decomposed["caf\u{E9}"] == nil)
        #expect(decomposed["cafe\u{301}"]?.intValue == 1)
        #expect(try JSONParser.parse("{\"cafe\u{301}\": 1}")["caf\u{E9}"] == nil)
        #expect(try document("{\"\u{212A}ey\": 1}").root["Key"] == nil)
        #expect(try document(#"{"\u212aey": 1}"#).root["Key"] == nil)
        #expect(try document(#"{"ab": 1}"#).root["a"] == nil)
    }

    @Test func intValueIsForIntegralNumbersOnly() throws {
        let root = try document(#"[1.5, 1e2, -0, 123456789012345, 9007199254740993, -7, "3"]"#).root
        #expect(root.items.map(\.intValue) == [nil, 100, 0, 123_456_789_012_345, nil, -7, nil])
    }

    @Test func readsOfTheWrongKindAreNil() throws {
        let root = try document(#"{"s": "x", "n": 1, "list": [0], "object": {"k": 0}}"#).root
        #expect(root["s"]?.intValue == nil)
        #expect(root["n"]?.stringValue == nil)
        #expect(root["n"]?.boolValue == nil)
        #expect(root["list"]?["k"] == nil)
        #expect(root["object"]?[0] == nil)
        #expect(root["list"]?[-1] == nil)
        #expect(root["list"]?[1] == nil)
        #expect(Array(try #require(root["object"]).items).isEmpty)
        #expect(Array(try #require(root["list"]).members).isEmpty)
    }

    @Test func aPrefixReadsLikeParsePartial() throws {
        for text in [#"{"path": "src/ma"#, #"{"list": [1, {"x": "y"#, #"{"a": "b\"#, "[tr"] {
            #expect(JSONDocument(prefixOf: Array(text.utf8))?.root.value == JSONParser.parsePartial(text))
        }
        #expect(JSONDocument(prefixOf: Array("  ".utf8)) == nil)
    }
}

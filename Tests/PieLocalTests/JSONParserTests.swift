import Testing
@testable import PieLocal

@Suite struct JSONParserTests {
    @Test func parsesAllValueKindsWithAndWithoutSpaces() throws {
        let compact = try JSONParser.parse(#"{"a":[1,2.5,-3e2,true,false,null],"b":{"c":"d"}}"#)
        let spaced = try JSONParser.parse(" { \"a\" : [ 1 , 2.5 , -3e2 , true , false , null ] ,\n \"b\" : { \"c\" : \"d\" } } ")
        #expect(compact == spaced)
        #expect(compact == ["a": [1, 2.5, -300, true, false, nil], "b": ["c": "d"]])
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        let value = try JSONParser.parse(#""a\"b\\c\n\u00e9\ud83d\ude00""#)
        #expect(value == .string("a\"b\\c\né😀"))
    }

    @Test func rejectsMalformedDocumentsWithAnOffset() {
        #expect(throws: JSONParseError.self) { try JSONParser.parse(#"{"a":}"#) }
        #expect(throws: JSONParseError.self) { try JSONParser.parse("[1,2") }
        #expect(throws: JSONParseError.self) { try JSONParser.parse("{} x") }
    }

    @Test(arguments: [
        (#"{"path": "src/ma"#, JSONValue.object(["path": "src/ma"])),
        (#"{"path": "a", "li"#, JSONValue.object(["path": "a"])),
        (#"{"n": 12"#, JSONValue.object(["n": 12])),
        (#"{"flag": tr"#, JSONValue.object([:])),
        (#"{"list": [1, {"x": "y"#, JSONValue.object(["list": [1, ["x": "y"]]])),
        (#"{"a": "b\"#, JSONValue.object(["a": "b"])),
    ] as [(String, JSONValue)])
    func parsesPartialToolArguments(_ expectation: (String, JSONValue)) {
        #expect(JSONParser.parsePartial(expectation.0) == expectation.1)
    }

    @Test func argumentsAreAlwaysAnObject() {
        #expect(JSONParser.parseArguments("") == .object([:]))
        #expect(JSONParser.parseArguments("[1]") == .object([:]))
        #expect(JSONParser.parseArguments(#"{"a":1}"#) == ["a": 1])
    }

    @Test func writerSortsKeysAndRoundTrips() throws {
        let value: JSONValue = ["b": [1, "x\n\"y\u{1}"], "a": ["z": nil, "y": 2.5]]
        let text = JSONWriter.string(value)
        #expect(text == #"{"a":{"y":2.5,"z":null},"b":[1,"x\n\"y\u0001"]}"#)
        #expect(try JSONParser.parse(text) == value)
    }
}

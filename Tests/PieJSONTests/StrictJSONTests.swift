import Testing

@testable import PieJSON

/// `JSONParser.parseStrict`, the tool-argument mode; its messages are pinned where the model sees
/// them, in PieAgentTests' ArgumentValidationTests.
@Suite struct StrictJSONTests {
    @Test func escapesAndSurrogatesDecode() throws {
        let value = try JSONParser.parseStrict(Array(#"{"a":"\u00e9\ud83d\ude00\n\"x\""}"#.utf8))
        #expect(value == .object(JSONObject([("a", .string("é😀\n\"x\""))])))
        #expect(throws: JSONParseError.self) { try JSONParser.parseStrict(Array(#""\ud83d""#.utf8)) }
        #expect(throws: JSONParseError.self) { try JSONParser.parseStrict(Array("01".utf8)) }
        #expect(throws: JSONParseError.self) { try JSONParser.parseStrict(Array("\"a\tb\"".utf8)) }
    }
}

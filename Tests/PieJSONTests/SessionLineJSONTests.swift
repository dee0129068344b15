import Testing

@testable import PieJSON

/// Session and audit lines (`JSONParser.parseLine`) and the writer.
@Suite struct SessionLineJSONTests {
    @Test func parsesAndWritesEveryValueKindCompactly() throws {
        let text = #"{"s":"a\"b\\c\n\t\u00e9\ud83d\ude00","n":[0,-12,1.5,1e-7,1733234567890],"b":true,"f":false,"z":null,"o":{}}"#
        let value = try JSONParser.parseLine(text)
        #expect(value["s"]?.stringValue == "a\"b\\c\n\té😀")
        #expect(value["n"]?.arrayValue?.compactMap(\.doubleValue) == [0, -12, 1.5, 1e-7, 1_733_234_567_890])
        #expect(JSONWriter.string(value) == #"{"s":"a\"b\\c\n\té😀","n":[0,-12,1.5,1e-07,1733234567890],"b":true,"f":false,"z":null,"o":{}}"#)
    }

    @Test func keepsObjectKeyOrder() throws {
        let value = try JSONParser.parseLine(#"{"type":"x","id":"1","a":2}"#)
        #expect(value.objectValue?.keys == ["type", "id", "a"])
    }

    @Test(arguments: [#"{"a":1"#, #"{"a":01}"#, #"[1,]"#, #""\x""#, "tru", #"{"a":1} x"#, "\"a\u{01}\""])
    func rejectsInvalidJSON(_ text: String) {
        #expect(throws: JSONParseError.self) { try JSONParser.parseLine(text) }
    }

    @Test func escapesControlCharactersSoALineNeverSplits() {
        #expect(JSONWriter.string(.string("a\u{01}\r\nb")) == #""a\u0001\r\nb""#)
    }
}

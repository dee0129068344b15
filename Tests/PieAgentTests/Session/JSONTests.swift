import Testing

@testable import PieAgent

@Suite struct JSONTests {
    @Test func parsesAndWritesEveryValueKindCompactly() throws {
        let text = #"{"s":"a\"b\\c\n\t\u00e9\ud83d\ude00","n":[0,-12,1.5,1e-7,1733234567890],"b":true,"f":false,"z":null,"o":{}}"#
        let value = try JSONParser.parse(text)
        #expect(value["s"]?.stringValue == "a\"b\\c\n\té😀")
        #expect(value["n"]?.arrayValue?.compactMap(\.doubleValue) == [0, -12, 1.5, 1e-7, 1_733_234_567_890])
        #expect(JSONWriter.string(value) == #"{"s":"a\"b\\c\n\té😀","n":[0,-12,1.5,1e-07,1733234567890],"b":true,"f":false,"z":null,"o":{}}"#)
    }

    @Test func keepsObjectKeyOrder() throws {
        let value = try JSONParser.parse(#"{"type":"x","id":"1","a":2}"#)
        #expect(value.objectValue?.keys == ["type", "id", "a"])
    }

    @Test(arguments: [#"{"a":1"#, #"{"a":01}"#, #"[1,]"#, #""\x""#, "tru", #"{"a":1} x"#, "\"a\u{01}\""])
    func rejectsInvalidJSON(_ text: String) {
        #expect(throws: JSONParseError.self) { try JSONParser.parse(text) }
    }

    @Test func escapesControlCharactersSoALineNeverSplits() {
        #expect(JSONWriter.string(.string("a\u{01}\r\nb")) == #""a\u0001\r\nb""#)
    }
}

@Suite struct JSONValueCodingTests {
    struct Message: Codable, Equatable {
        var role: String
        var content: String
        var timestamp: Int
    }

    @Test func codableValuesRoundTripThroughJSONValue() throws {
        let message = Message(role: "user", content: "hi \"there\"\n", timestamp: 1_733_234_567_890)
        let value = try JSONValue(encoding: message)
        #expect(value["role"]?.stringValue == "user")
        #expect(value["timestamp"]?.intValue == 1_733_234_567_890)
        #expect(try value.decode(Message.self) == message)
    }

    @Test func decodingTheWrongShapeIsATypedError() {
        #expect(throws: JSONCodingError.self) { try JSONValue.string("x").decode(Message.self) }
    }
}

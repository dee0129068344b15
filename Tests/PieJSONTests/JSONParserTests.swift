import Testing
@testable import PieJSON

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

    @Test func rejectsHostileNesting() {
        #expect(throws: JSONParseError.self) { try JSONParser.parse(String(repeating: "[", count: 100_000)) }
        #expect(JSONParser.parsePartial(String(repeating: "[", count: 100_000)) == nil)
        #expect(throws: Never.self) { try JSONParser.parse(String(repeating: "[", count: 100) + String(repeating: "]", count: 100)) }
    }

    @Test func argumentsAreAlwaysAnObject() {
        #expect(JSONParser.parseArguments("") == .object([:]))
        #expect(JSONParser.parseArguments("[1]") == .object([:]))
        #expect(JSONParser.parseArguments(#"{"a":1}"#) == ["a": 1])
    }

    /// The offsets and reasons the parser has always reported; stream errors quote them.
    @Test(arguments: [
        ("", 0, "unexpected end of input"),
        ("   ", 3, "unexpected end of input"),
        ("x", 0, "unexpected character"),
        ("{", 1, "unterminated object"),
        ("[", 1, "unexpected end of input"),
        (#"{"a""#, 4, "unterminated object"),
        (#"{"a":"#, 5, "unterminated object"),
        (#"{"a" 1}"#, 5, "expected ':'"),
        (#"{"a":1"#, 6, "unterminated object"),
        (#"{"a":1 "b":2}"#, 7, "expected ',' or '}'"),
        ("{1:2}", 1, "expected a key"),
        ("[1 2]", 3, "expected ',' or ']'"),
        ("[1,", 3, "unexpected end of input"),
        ("[1,]", 3, "unexpected character"),
        (#""abc"#, 4, "unterminated string"),
        (#""a\"#, 3, "unterminated string"),
        (#""\u12""#, 3, "invalid unicode escape"),
        (#""\uZZZZ""#, 3, "invalid unicode escape"),
        (#""\ud83d\uZZZZ""#, 9, "invalid unicode escape"),
        ("tru", 0, "unexpected end of input"),
        ("trux", 0, "invalid literal"),
        ("-", 0, "invalid number"),
        ("1e", 0, "invalid number"),
        ("1.5.5", 0, "invalid number"),
        ("--1", 0, "invalid number"),
        ("+1", 0, "unexpected character"),
        ("{} x", 3, "unexpected trailing characters"),
        (#"{"a":1}}"#, 7, "unexpected trailing characters"),
        (#"{"a":tru}"#, 5, "invalid literal"),
        ("[nulll]", 5, "expected ',' or ']'"),
        (String(repeating: "[", count: 513) + String(repeating: "]", count: 513), 512, "nesting deeper than 512 levels"),
    ] as [(String, Int, String)])
    func reportsWhereAndWhyADocumentIsInvalid(_ expectation: (String, Int, String)) {
        let expected = JSONParseError(reason: expectation.2, offset: expectation.1)
        #expect(throws: expected) { try JSONParser.parse(expectation.0) }
        #expect(throws: expected) { try JSONDocument(Array(expectation.0.utf8)) }
    }

    @Test func decodesEveryEscape() throws {
        #expect(try JSONParser.parse(#""\/\b\f\t\r\n\"\\\x""#) == .string("/\u{8}\u{C}\t\r\n\"\\x"))
        #expect(try JSONParser.parse(#""\u0000\u00E9\u20ac""#) == .string("\u{0}é€"))
    }

    @Test func loneSurrogatesBecomeReplacementCharacters() throws {
        #expect(try JSONParser.parse(#""\ud83d""#) == .string("\u{FFFD}"))
        #expect(try JSONParser.parse(#""\ude00x""#) == .string("\u{FFFD}x"))
        #expect(try JSONParser.parse(#""\ud83d\u0041""#) == .string("\u{FFFD}A"))
        #expect(try JSONParser.parse(#""\ud83d\ud83d\ude00""#) == .string("\u{FFFD}😀"))
    }

    @Test func repairsInvalidUTF8() throws {
        #expect(try JSONParser.parse([0x22, 0xC3, 0x22]) == .string("\u{FFFD}"))
        #expect(try JSONParser.parse([0x22, 0xFF, 0x5C, 0x6E, 0x22]) == .string("\u{FFFD}\n"))
    }

    /// Strings are scanned eight bytes at a time, so put the quote, an escape and a non-ASCII
    /// character at every offset of a word.
    @Test func findsQuotesEscapesAndNonASCIIAtEveryOffset() throws {
        for before in 0..<20 {
            for after in 0..<10 {
                let head = String(repeating: "a", count: before)
                let tail = String(repeating: "b", count: after)
                #expect(try JSONParser.parse(#"[""# + head + #"\n"# + tail + #"",1]"#) == [.string(head + "\n" + tail), 1])
                #expect(try JSONParser.parse(#"[""# + head + "é" + tail + #"",1]"#) == [.string(head + "é" + tail), 1])
                #expect(try JSONParser.parse(#"[""# + head + #"",""# + tail + #""]"#) == [.string(head), .string(tail)])
            }
        }
    }

    /// A number is whatever `Double(String)` reads, as it always was.
    @Test func readsNumbersTheWayDoubleDoes() throws {
        let negativeZero = try #require(try JSONParser.parse("-0").doubleValue)
        #expect(negativeZero == 0 && negativeZero.sign == .minus)
        #expect(try JSONParser.parse("007") == 7)
        #expect(try JSONParser.parse("1.") == 1)
        #expect(try JSONParser.parse("-.5") == -0.5)
        #expect(try JSONParser.parse("123456789012345") == 123_456_789_012_345)
        #expect(try JSONParser.parse("12345678901234567890") == .number(1.2345678901234567e19))
        #expect(try JSONParser.parse("1e999") == .number(.infinity))
        #expect(try JSONParser.parse("2.5E-3") == 0.0025)
    }

    /// A value that fails at the end of a partial document is dropped with everything in it
    /// (members of a half-read inner object used to surface in the outer one).
    @Test func partialDropsAllOfAFailedValue() {
        #expect(JSONParser.parsePartial(#"{"a":1,"b":{"c":"d"fal"#) == ["a": 1])
        #expect(JSONParser.parsePartial("[1,[2,3 fal") == [1])
        #expect(JSONParser.parsePartial(#"{"a":{"b":1,"c":tr"#) == nil, "as before, a half-written literal below the top level leaves no preview")
    }

    @Test func writerSortsKeysAndRoundTrips() throws {
        let value: JSONValue = ["b": [1, "x\n\"y\u{1}"], "a": ["z": nil, "y": 2.5]]
        let text = JSONWriter.string(value, keys: .sorted)
        #expect(text == #"{"a":{"y":2.5,"z":null},"b":[1,"x\n\"y\u0001"]}"#)
        #expect(try JSONParser.parse(text) == value)
    }
}

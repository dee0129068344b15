import PiePolicy
import Testing
import PieJSON

@testable import PieAgent

@Suite("Strict argument validation")
struct ArgumentValidationTests {
    private func problems(_ json: String, _ tool: any AgentTool = ReadTool()) -> String? {
        switch ToolArguments.validate(Array(json.utf8), for: tool) {
        case .success: nil
        case .failure(let error): error.description
        }
    }

    @Test func acceptsValidArguments() throws {
        let result = ToolArguments.validate(Array(#"{"path":"a.txt","offset":5,"limit":2}"#.utf8), for: ReadTool())
        let arguments = try result.get()
        #expect(arguments.string("path") == "a.txt")
        #expect(arguments.integer("offset") == 5)
        #expect(arguments.integer("limit") == 2)
    }

    @Test func integerAsStringIsNotCoerced() {
        #expect(
            problems(#"{"path":"a","offset":"5"}"#)
                == #"Invalid arguments for read: field 'offset' must be an integer (got string "5")"#)
    }

    @Test func fractionalIntegerIsRejected() {
        #expect(problems(#"{"path":"a","limit":1.5}"#) == "Invalid arguments for read: field 'limit' must be an integer (got number 1.5)")
    }

    @Test func minimumIsEnforced() {
        #expect(problems(#"{"path":"a","limit":0}"#) == "Invalid arguments for read: field 'limit' must be at least 1 (got 0)")
    }

    @Test func unknownFieldListsExpectedOnes() {
        #expect(
            problems(#"{"paht":"a"}"#)
                == "Invalid arguments for read: unknown field 'paht' (expected: path, offset, limit); missing required field 'path'")
    }

    @Test func emptyObjectNeverRuns() {
        #expect(problems("{}") == "Invalid arguments for read: missing required field 'path'")
    }

    @Test func malformedJSONNamesTheByte() {
        #expect(problems(#"{"path": "a",}"#) == "Invalid arguments for read: arguments are not valid JSON: expected a quoted field name at byte 13")
        #expect(problems("") == "Invalid arguments for read: arguments are not valid JSON: unexpected end of input at byte 0")
        #expect(problems(#"{"path":'a'}"#) == "Invalid arguments for read: arguments are not valid JSON: unexpected character ''' at byte 8")
    }

    @Test func duplicateKeysAreRejected() {
        #expect(problems(#"{"path":"a","path":"b"}"#) == "Invalid arguments for read: arguments are not valid JSON: duplicate field 'path' at byte 12")
    }

    @Test func trailingGarbageIsRejected() {
        #expect(problems(#"{"path":"a"} x"#)?.contains("unexpected content after the JSON value at byte 13") == true)
    }

    @Test func nulByteInStringNamesTheField() {
        #expect(problems(#"{"path":"a\u0000b"}"#) == "Invalid arguments for read: field 'path' contains a NUL byte")
    }

    @Test func invalidUTF8IsRejected() {
        let raw: [UInt8] = Array(#"{"path":""#.utf8) + [0xFF, 0xFE] + Array(#""}"#.utf8)
        guard case .failure(let error) = ToolArguments.validate(raw, for: ReadTool()) else {
            Issue.record("expected failure")
            return
        }
        #expect(error.description == "Invalid arguments for read: arguments are not valid UTF-8")
    }

    @Test func nonObjectArguments() {
        #expect(problems("[1]") == "Invalid arguments for read: arguments must be a JSON object (got array)")
        #expect(problems("null") == "Invalid arguments for read: arguments must be a JSON object (got null)")
    }

    @Test func nullIsAWrongTypeNotAbsence() {
        #expect(problems(#"{"path":"a","offset":null}"#) == "Invalid arguments for read: field 'offset' must be an integer (got null)")
    }

    @Test func wrongTypesForEachKind() {
        #expect(problems(#"{"path":5}"#) == "Invalid arguments for read: field 'path' must be a string (got number 5)")
        #expect(problems(#"{"path":"a","edits":{"x":1}}"#, EditTool()) == "Invalid arguments for edit: field 'edits' must be an array (got object)")
    }

    @Test func nestedFieldsAreNamedWithTheirPath() {
        #expect(
            problems(#"{"path":"a","edits":[{"oldText":"x","newText":1}]}"#, EditTool())
                == "Invalid arguments for edit: field 'edits[0].newText' must be a string (got number 1)")
        #expect(problems(#"{"path":"a","edits":[]}"#, EditTool()) == "Invalid arguments for edit: field 'edits' must have at least 1 item")
    }

    @Test func schemaRendersStably() {
        #expect(
            ReadTool().schema.jsonSchema.rendered
                == #"{"type":"object","properties":{"path":{"type":"string","description":"Path to the file to read (relative or absolute)"},"offset":{"type":"integer","description":"Line number to start reading from (1-indexed)","minimum":0},"limit":{"type":"integer","description":"Maximum number of lines to read","minimum":1}},"required":["path"],"additionalProperties":false}"#)
    }

    @Test func editSchemaNestsClosedObjects() {
        let rendered = EditTool().schema.jsonSchema.rendered
        #expect(rendered.contains(#""items":{"type":"object","properties":{"oldText""#))
        #expect(rendered.contains(#""required":["oldText","newText"],"additionalProperties":false}"#))
    }
}

@Suite("validation messages")
struct ValidationMessageTests {
    @Test func stringValuesAreEscapedAndShortened() {
        #expect(JSONValue.string("a\nb").typeDescription == #"string "a\nb""#)
        #expect(JSONValue.string(String(repeating: "x", count: 50)).typeDescription == "string \"" + String(repeating: "x", count: 40) + "\"…")
    }
}

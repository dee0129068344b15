import Testing
import PieJSON

@testable import PieAgent

@Suite struct SessionLineScannerTests {
    func scan(_ line: String) throws -> EntryScalars {
        var copy = line
        return try copy.withUTF8 { buffer in try SessionLineScanner.scan(buffer) }
    }

    @Test func keepsBaseFieldsAndMessageScalarsAndDecodesEscapes() throws {
        let scalars = try scan(
            #"{"type":"message","id":"a\"b","parentId":null,"timestamp":"t","message":{"content":[{"type":"text","text":"x \"role\":\"user\""}],"role":"assistant","stopReason":"aborted","provider":"p","model":"m","usage":{"input":1.5e3}}}"#
        )
        #expect(scalars.type == "message")
        #expect(scalars.id == "a\"b")
        #expect(scalars.parentId == nil)
        #expect(scalars.role == "assistant")
        #expect(scalars.stopReason == "aborted")
        #expect(scalars.messageProvider == "p" && scalars.messageModel == "m")
    }

    @Test func nestedKeysDoNotLeakIntoTopLevelScalars() throws {
        let scalars = try scan(#"{"type":"custom","id":"x","data":{"id":"inner","label":"no"},"parentId":"p"}"#)
        #expect(scalars.id == "x")
        #expect(scalars.label == nil)
        #expect(scalars.parentId == "p")
    }

    @Test(arguments: [
        #"{"type":"message","id":"a",}"#, #"{"a":[1,2}"#, #"{"a":tru}"#, #"[1]"#, #"{"a":"unterminated}"#,
        #"{"a":1.}"#, #"{"a":{}"#, #"{"a":1} {}"#,
    ])
    func rejectsStructurallyInvalidLines(_ line: String) {
        #expect(throws: JSONParseError.self) { try scan(line) }
    }

    @Test func entryObjectIsParsedOnDemandFromTheLine() throws {
        let entry = try #require(SessionEntry(line: #"{"type":"compaction","id":"c","parentId":null,"timestamp":"t","summary":"s","firstKeptEntryId":"k","tokensBefore":42}"#))
        #expect(entry.firstKeptEntryId == "k")
        #expect(entry.summary == "s")
        #expect(entry["tokensBefore"]?.intValue == 42)
        #expect(SessionEntry(line: #"{"id":"no-type"}"#) == nil)
    }
}

@Suite struct SessionEntryBuildingTests {
    @Test func contentCannotOverrideTheBaseFields() {
        let content = SessionEntryContent(type: .custom, fields: JSONObject(["id": "forged", "customType": "x", "parentId": "p"]))
        let entry = SessionEntry(id: "real", parentId: nil, timestamp: "t", content: content)
        #expect(entry.line == #"{"type":"custom","id":"real","parentId":null,"timestamp":"t","customType":"x"}"#)
        #expect(entry.id == "real")
    }
}

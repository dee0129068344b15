import PiePolicy
import Testing
import PieJSON

@testable import PieAgent

@Suite("edit tool")
struct EditToolTests {
    let fixture = ToolFixture()
    let tool = EditTool()

    private func edit(_ json: String) async -> ToolResult {
        await fixture.run(tool, json)
    }

    @Test func exactSingleEdit() async {
        fixture.write("a.txt", "let x = 1\nlet y = 2\n")
        let result = await edit(#"{"path":"a.txt","edits":[{"oldText":"x = 1","newText":"x = 10"}]}"#)
        #expect(result.text == "Successfully replaced 1 block(s) in a.txt.")
        #expect(fixture.read("a.txt") == "let x = 10\nlet y = 2\n")
        #expect(result.detailsJSON?["firstChangedLine"] == .integer(1))
        #expect(result.detailsJSON?["diff"] == .string("-1 let x = 1\n+1 let x = 10\n 2 let y = 2\n 3 "))
    }

    @Test func multipleEditsMatchTheOriginal() async {
        fixture.write("a.txt", "a\nb\nc\n")
        let result = await edit(
            #"{"path":"a.txt","edits":[{"oldText":"c","newText":"a"},{"oldText":"a","newText":"A"}]}"#)
        #expect(result.text == "Successfully replaced 2 block(s) in a.txt.")
        #expect(fixture.read("a.txt") == "A\nb\na\n")
    }

    @Test func smartQuotesMatchAndOnlyTheRegionIsRewritten() async {
        fixture.write("q.txt", "print(“hello”)\nkeep “this” — and this\n")
        let result = await edit(#"{"path":"q.txt","edits":[{"oldText":"print(\"hello\")","newText":"print(\"bye\")"}]}"#)
        #expect(!result.isError)
        #expect(fixture.read("q.txt") == "print(\"bye\")\nkeep “this” — and this\n")
    }

    @Test func trailingWhitespaceIsIgnoredInTheMatchOnly() async {
        fixture.write("t.txt", "foo   \nbar\nbaz  \n")
        let result = await edit(#"{"path":"t.txt","edits":[{"oldText":"foo\nbar","newText":"FOO\nBAR"}]}"#)
        #expect(!result.isError)
        #expect(fixture.read("t.txt") == "FOO\nBAR\nbaz  \n")
    }

    @Test func nfkcAndOddSpacesAndDashes() async {
        fixture.write("n.txt", "ｆｕｌｌ\u{00A0}width – here\nother ｆｕｌｌ\n")
        let result = await edit(#"{"path":"n.txt","edits":[{"oldText":"full width - here","newText":"done"}]}"#)
        #expect(!result.isError)
        #expect(fixture.read("n.txt") == "done\nother ｆｕｌｌ\n")
    }

    @Test func notFoundSingleWording() async {
        fixture.write("a.txt", "abc")
        let result = await edit(#"{"path":"a.txt","edits":[{"oldText":"xyz","newText":"q"}]}"#)
        #expect(result.isError)
        #expect(
            result.text
                == "Could not find the exact text in a.txt. The old text must match exactly including all whitespace and newlines.")
    }

    @Test func duplicateSingleAndMultiWording() async {
        fixture.write("a.txt", "dup\ndup\nz\n")
        let single = await edit(#"{"path":"a.txt","edits":[{"oldText":"dup","newText":"q"}]}"#)
        #expect(
            single.text
                == "Found 2 occurrences of the text in a.txt. The text must be unique. Please provide more context to make it unique.")
        let multi = await edit(#"{"path":"a.txt","edits":[{"oldText":"z","newText":"q"},{"oldText":"dup","newText":"q"}]}"#)
        #expect(
            multi.text
                == "Found 2 occurrences of edits[1] in a.txt. Each oldText must be unique. Please provide more context to make it unique.")
    }

    @Test func nearDuplicatesCountInNormalisedSpace() async {
        fixture.write("a.txt", "it's\nit’s\n")
        let result = await edit(#"{"path":"a.txt","edits":[{"oldText":"it's","newText":"x"}]}"#)
        #expect(result.text.hasPrefix("Found 2 occurrences of the text in a.txt."))
    }

    @Test func overlapIsRejected() async {
        fixture.write("a.txt", "abcdef")
        let result = await edit(#"{"path":"a.txt","edits":[{"oldText":"abcd","newText":"1"},{"oldText":"cdef","newText":"2"}]}"#)
        #expect(result.text == "edits[0] and edits[1] overlap in a.txt. Merge them into one edit or target disjoint regions.")
        #expect(fixture.read("a.txt") == "abcdef")
    }

    @Test func allOrNothing() async {
        fixture.write("a.txt", "one two")
        let result = await edit(#"{"path":"a.txt","edits":[{"oldText":"one","newText":"1"},{"oldText":"three","newText":"3"}]}"#)
        #expect(result.text == "Could not find edits[1] in a.txt. The oldText must match exactly including all whitespace and newlines.")
        #expect(fixture.read("a.txt") == "one two")
    }

    @Test func bomAndCRLFArePreserved() async {
        fixture.write("w.txt", bytes: [0xEF, 0xBB, 0xBF] + Array("line1\r\nline2\r\nline3\r\n".utf8))
        let result = await edit(#"{"path":"w.txt","edits":[{"oldText":"line2\nline3","newText":"two\nthree"}]}"#)
        #expect(!result.isError)
        #expect(fixture.bytes("w.txt") == [0xEF, 0xBB, 0xBF] + Array("line1\r\ntwo\r\nthree\r\n".utf8))
    }

    @Test func legacyTopLevelOldTextNewText() async {
        fixture.write("a.txt", "hello world")
        let result = await edit(#"{"path":"a.txt","oldText":"world","newText":"there"}"#)
        #expect(result.text == "Successfully replaced 1 block(s) in a.txt.")
        #expect(fixture.read("a.txt") == "hello there")
    }

    @Test func legacyPairIsAppendedToEdits() async {
        fixture.write("a.txt", "one two")
        let result = await fixture.run(
            EditTool(), #"{"path":"a.txt","edits":[{"oldText":"one","newText":"1"}],"oldText":"two","newText":"2"}"#)
        #expect(result.text == "Successfully replaced 2 block(s) in a.txt.")
        #expect(fixture.read("a.txt") == "1 2")
    }

    @Test func editsSentAsJSONString() async {
        fixture.write("a.txt", "hello world")
        let array = await edit(#"{"path":"a.txt","edits":"[{\"oldText\":\"world\",\"newText\":\"you\"}]"}"#)
        #expect(!array.isError)
        let object = await edit(#"{"path":"a.txt","edits":"{\"oldText\":\"you\",\"newText\":\"me\"}"}"#)
        #expect(!object.isError)
        #expect(fixture.read("a.txt") == "hello me")
        let broken = await edit(#"{"path":"a.txt","edits":"[{"}"#)
        #expect(broken.text.hasPrefix("Invalid arguments for edit: field 'edits' is a string but not valid JSON:"))
    }

    @Test func noChangeAndEmptyOldText() async {
        fixture.write("a.txt", "same")
        let same = await edit(#"{"path":"a.txt","edits":[{"oldText":"same","newText":"same"}]}"#)
        #expect(
            same.text
                == "No changes made to a.txt. The replacement produced identical content. This might indicate an issue with special characters or the text not existing as expected.")
        let empty = await edit(#"{"path":"a.txt","edits":[{"oldText":"","newText":"x"}]}"#)
        #expect(empty.text == "oldText must not be empty in a.txt.")
    }

    @Test func missingFile() async {
        let result = await edit(#"{"path":"nope.txt","edits":[{"oldText":"a","newText":"b"}]}"#)
        #expect(result.text == "File not found: nope.txt")
    }

    @Test func matcherMapsNormalisedRangesBack() throws {
        let result = try EditMatcher.apply([TextEdit(oldText: "a - b", newText: "X")], to: "q a — b q").get()
        #expect(result == "q X q")
    }
}

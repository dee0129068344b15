import PieJSON
import PieLocal
import PieSandbox
import Testing

@testable import PieAgent

/// Typed details are written as the JSON pi and earlier pie wrote, field for field and in order,
/// so session files and `--mode json` lines keep their bytes.
@Suite("typed tool details")
struct ToolDetailsTests {
    let fixture = ToolFixture()

    private func rendered(_ result: ToolResult) -> String? {
        result.detailsJSON.map { JSONWriter.string($0) }
    }

    @Test func bashDetailsKeepPisFieldsThenPiesInOrder() {
        let truncation = Truncation.tail("a\nb\nc", maxLines: 1, maxBytes: 100)
        let outcome = ShellOutcome(
            exitCode: nil, signal: 9, timedOut: true, cancelled: false, sandbox: .bwrap, warnings: ["fell back"])
        let result = ToolResult.error(
            "x", details: .bash(BashDetails(truncation: truncation, fullOutputPath: "/tmp/pi-bash-1.log", outcome: outcome)))

        #expect(result.detailsJSON?.objectValue?.keys == ["truncation", "fullOutputPath", "exitCode", "sandbox", "timedOut", "warnings"])
        #expect(result.detailsJSON?["exitCode"] == .null)
        #expect(result.detailsJSON?["sandbox"] == .string("bwrap"))
        #expect(result.detailsJSON?["warnings"] == .array(["fell back"]))
        #expect(rendered(.text("dry", details: .bash(BashDetails(dryRun: true)))) == #"{"dryRun":true}"#)
        // A partial result while the command runs has no outcome yet, so no exit code.
        #expect(rendered(.text("partial", details: .bash(BashDetails(truncation: truncation)))) ?? "" == JSONWriter.string(.object(JSONObject([("truncation", truncation.json)]))))
    }

    @Test func aRealCommandsDetailsAreTheBytesTheSessionAlwaysHad() async {
        let result = await fixture.run(BashTool(), #"{"command":"echo hi"}"#)
        #expect(rendered(result) == #"{"exitCode":0,"sandbox":"host"}"#)
        guard case .bash(let bash)? = result.details else {
            Issue.record("bash returned \(String(describing: result.details))")
            return
        }
        #expect(bash.outcome?.exitCode == 0 && bash.outcome?.sandbox == .host)
    }

    @Test func listingDetailsNameTheirLimitPerTool() {
        let truncation = Truncation.head("a\nb", maxLines: .max, maxBytes: 1)
        let grep = ListingDetails(limitReached: .matches(100), truncation: truncation, linesTruncated: true)
        #expect(ToolDetails.listing(grep).json.keys == ["matchLimitReached", "truncation", "linesTruncated"])
        #expect(ToolDetails.listing(ListingDetails(limitReached: .entries(2))).json.keys == ["entryLimitReached"])
        #expect(ToolDetails.listing(ListingDetails(limitReached: .results(3))).json["resultLimitReached"] == .integer(3))
        #expect(ListingDetails().isEmpty)
    }

    @Test func anAuditErrorIsAddedLastAndNoDetailsAreNone() {
        var result = ToolResult.text("ok", details: .edit(EditDetails(diff: "+1 x", firstChangedLine: 1)))
        result.auditError = "disk full"
        #expect(result.detailsJSON?.objectValue?.keys == ["diff", "firstChangedLine", "auditError"])
        #expect(ToolResult.text("plain").detailsJSON == nil)
        var bare = ToolResult.text("plain")
        bare.auditError = "disk full"
        #expect(rendered(bare) == #"{"auditError":"disk full"}"#)
    }
}

/// One `ToolCall` is validated as it arrived: the model's text when there is text, the object
/// when the wire format sent one; neither is written out to be parsed again.
@Suite("validating a ToolCall")
struct ToolCallValidationTests {
    @Test func aStructuredCallIsCheckedAsTheObjectItIs() {
        let call = ToolCall(id: "1", name: "read", arguments: ["path": "a.txt", "limit": 5])
        guard case .success(let arguments) = ToolArguments.validate(call, for: ReadTool()) else {
            Issue.record("a valid structured call was refused")
            return
        }
        #expect(arguments.string("path") == "a.txt" && arguments.integer("limit") == 5)

        let misspelt = ToolCall(id: "2", name: "read", arguments: ["paht": "a.txt"])
        guard case .failure(let error) = ToolArguments.validate(misspelt, for: ReadTool()) else {
            Issue.record("an unknown field was accepted")
            return
        }
        #expect(error.description == "Invalid arguments for read: unknown field 'paht' (expected: path, offset, limit); missing required field 'path'")
    }

    @Test func theRawTextWinsOverTheRepairedObject() {
        // The stream assembler repairs `{"path": "a.txt"` into an object; the text is what is judged.
        let call = ToolCall(id: "1", name: "read", rawArguments: #"{"path": "a.txt""#)
        #expect(call.arguments == ["path": "a.txt"])
        guard case .failure(let error) = ToolArguments.validate(call, for: ReadTool()) else {
            Issue.record("malformed text ran as its repaired object")
            return
        }
        #expect(error.description.hasPrefix("Invalid arguments for read: arguments are not valid JSON: "))
    }

    @Test func theAuditTextOfAStructuredCallIsWrittenOnceWithSortedKeys() {
        let call = ToolCall(id: "1", name: "read", arguments: ["path": "a.txt", "limit": 5])
        #expect(call.argumentText == #"{"limit":5,"path":"a.txt"}"#)
        #expect(ToolCall(id: "2", name: "read", rawArguments: #"{ "path" : "b" }"#).argumentText == #"{ "path" : "b" }"#)
    }
}

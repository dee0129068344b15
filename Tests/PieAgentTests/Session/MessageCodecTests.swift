import PieJSON
import PieLocal
import Testing

@testable import PieAgent

/// The session payload of a message is built with its keys sorted, not written to text and
/// parsed back; it is the value that round trip gave, and so the bytes the file always had.
@Suite("MessageCodec payloads")
struct MessageCodecTests {
    @Test func thePayloadIsTheValueWritingSortedAndReadingBackGave() throws {
        let details: JSONValue = .object(JSONObject([
            .init("zeta", 1), .init("alpha", .object(JSONObject([.init("y", true), .init("b", .null)]))),
            .init("alpha", "repeated: the last one counts"), .init("list", [["k": 2, "c": 1.5]]),
        ]))
        let messages: [AgentMessage] = [
            .toolResult(ToolResultMessage(
                toolCallID: "c1", toolName: "bash", content: [.text("out")], isError: true, details: details)),
            .assistant(AssistantMessage(
                content: [.text("hi"), .toolCall(ToolCall(id: "c1", name: "bash", rawArguments: #"{"command":"ls"}"#))],
                stopReason: .toolUse, model: "local:qwen")),
        ]
        for message in messages {
            let content = try #require(try MessageCodec.entryContent(for: message, timestampMilliseconds: 1_700_000_000_000))
            let payload = try #require(content.fields["message"])

            var object = try #require(message.jsonValue.objectValue)
            object["timestamp"] = .number(1_700_000_000_000)
            if case .assistant = message {
                object["provider"] = "local"
                object["model"] = "qwen"
            }
            let roundTrip = try JSONParser.parseLine(JSONWriter.string(.object(object), keys: .sorted))
            #expect(payload == roundTrip)
            #expect(JSONWriter.string(payload) == JSONWriter.string(roundTrip))
            #expect(payload.objectValue?.keys == payload.objectValue?.keys.sorted())
        }
    }

    @Test func aPayloadTooDeepToReadBackIsRefusedWithTheParsersWords() {
        #expect(throws: JSONParseError(reason: "nesting deeper than 512 levels", offset: nil)) {
            try MessageCodec.entryContent(for: SessionRecorderTests.unencodable(), timestampMilliseconds: 1)
        }
        var shallow = JSONValue.string("bottom")
        for _ in 0..<500 { shallow = .array([shallow]) }
        #expect(throws: Never.self) {
            try MessageCodec.entryContent(
                for: .toolResult(ToolResultMessage(toolCallID: "c", toolName: "t", content: [], isError: false, details: shallow)),
                timestampMilliseconds: 1)
        }
    }
}

import PieAgent
import PieLocal
import Testing
import PieJSON

@Suite("ToolResult into the context")
struct ToolRunnerExecutorTests {
    @Test func resultsConvertWithDetailsAndImages() {
        let call = ToolCall(id: "c1", name: "bash", arguments: [:])
        let result = ToolResult(
            content: [.text("ran"), .image(mimeType: "image/png", data: [1, 2, 3])], isError: true,
            details: .custom(JSONObject([("exitCode", .number(2)), ("command", .string("make"))])))

        let execution = ToolResultMessage(call: call, result: result)

        #expect(execution.content == [.text("ran"), .image(base64: "AQID", mimeType: "image/png")])
        #expect(execution.isError)
        #expect(execution.details == ["exitCode": 2, "command": "make"])
        #expect(ToolResultMessage(call: call, result: ToolResult.text("plain")).details == nil)
    }
}

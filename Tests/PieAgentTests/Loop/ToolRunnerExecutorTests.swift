import PieAgent
import PieLocal
import Testing
import PieJSON

@Suite("ToolRunner as the loop's executor")
struct ToolRunnerExecutorTests {
    @Test func resultsConvertWithDetailsAndImages() {
        let result = ToolResult(
            content: [.text("ran"), .image(mimeType: "image/png", data: [1, 2, 3])], isError: true,
            details: JSONObject([("exitCode", .number(2)), ("command", .string("make"))]))

        let execution = ToolExecution(result)

        #expect(execution.content == [.text("ran"), .image(base64: "AQID", mimeType: "image/png")])
        #expect(execution.isError)
        #expect(execution.details == ["exitCode": 2, "command": "make"])
        #expect(ToolExecution(ToolResult.text("plain")).details == nil)
    }
}

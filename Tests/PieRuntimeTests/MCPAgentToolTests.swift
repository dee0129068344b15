import PieAgent
import PieJSON
import PieMCP
import Testing

@testable import PieRuntime

/// What the model gets from an MCP tool's answer.
@Suite struct MCPAgentToolTests {
    @Test func textImagesAndOtherBlocksBecomeContentWithTypedDetails() {
        let result = MCPToolResult(
            content: [
                .text("first"), .image(data: "iVBORw==", mimeType: "image/png"),
                .resourceLink(MCPResource(uri: "file:///a.txt", name: "a")),
                .resource(MCPResourceContents(uri: "mem://b", text: "inline text")),
                .resource(MCPResourceContents(uri: "mem://c", blob: "AAAA")),
                .audio(data: "AAAA", mimeType: "audio/wav"),
            ],
            structuredContent: .object(JSONObject([("ok", .bool(true))])))
        let tool = MCPAgentTool.toolResult(result, server: "gh", tool: "search", maxBytes: 10_000)
        #expect(!tool.isError)
        #expect(tool.text == "first\n[resource file:///a.txt (a)]\ninline text\n[resource mem://c: binary, not shown]\n[audio (audio/wav), 3 bytes, not shown]")
        #expect(tool.content.contains(.image(mimeType: "image/png", data: [0x89, 0x50, 0x4E, 0x47])))
        #expect(tool.details == .mcp(MCPCallDetails(server: "gh", tool: "search", structuredContent: result.structuredContent)))
    }

    @Test func structuredContentIsTheTextWhenThereIsNoTextAndErrorsStayErrors() {
        let structured = MCPToolResult(content: [], structuredContent: .object(JSONObject([("n", .integer(3))])), isError: true)
        let tool = MCPAgentTool.toolResult(structured, server: "s", tool: "t", maxBytes: 1_000)
        #expect(tool.isError)
        #expect(tool.text == "{\"n\":3}")
        #expect(MCPAgentTool.toolResult(MCPToolResult(content: []), server: "s", tool: "t", maxBytes: 1_000).text == "(no output)")
        let badImage = MCPAgentTool.toolResult(
            MCPToolResult(content: [.image(data: "not base64!", mimeType: "image/png")]), server: "s", tool: "t", maxBytes: 1_000)
        #expect(badImage.text.contains("not valid base64") && badImage.content.count == 1)
    }

    @Test func outputIsCutAtTheLimitOnACharacterBoundaryAndSaysSo() {
        let long = String(repeating: "é", count: 100)  // 200 bytes
        let capped = MCPAgentTool.capped(long, maxBytes: 51)
        #expect(capped.hasPrefix(String(repeating: "é", count: 25)))
        #expect(capped.contains("[Output truncated: 50 of 200 bytes shown (max_tool_output_bytes).]"))
        #expect(MCPAgentTool.capped("short", maxBytes: 51) == "short")
    }

    @Test func progressReadsAsAPartialResult() {
        #expect(MCPAgentTool.describe(MCPProgress(progress: 2, total: 5, message: "indexing")) == "progress 2 of 5: indexing")
        #expect(MCPAgentTool.describe(MCPProgress(progress: 0.5)) == "progress 0.5")
    }
}

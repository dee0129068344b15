import FoundationEssentials
import PieAgent
import PieJSON
import PieMCP
import PiePolicy

/// One tool of an MCP server as a pie tool: the model sees `mcp__SERVER__TOOL` with the server's
/// JSON Schema; a call is validated strictly against that schema, judged by the policy's `[mcp]`
/// rules, audited, and only then sent to the server, through the same `ToolRunner` path as the
/// coding tools. What comes back is capped at the policy's output limit; the audit hook redacts
/// secrets from it like any result.
struct MCPAgentTool: AgentTool {
    let server: String
    let tool: MCPTool
    let name: String
    let description: String
    let schema: ToolSchema
    let connection: MCPServerConnection
    let timeoutMilliseconds: Int

    /// What a tool does happens in its server, which pie cannot see into: calls never overlap.
    var runsAlone: Bool { true }

    func policyRequest(_ arguments: ValidatedArguments, context: ToolContext) -> ToolRequest {
        .mcp(server: server, tool: tool.name)
    }

    func execute(_ arguments: ValidatedArguments, context: ToolContext) async throws(ToolFailure) -> ToolResult {
        let result: MCPToolResult
        do {
            result = try await connection.callTool(tool.name, arguments: .object(arguments.object), timeoutMs: timeoutMilliseconds)
        } catch {
            throw ToolFailure(error.description)
        }
        return Self.toolResult(result, server: server, tool: tool.name, maxBytes: context.maxOutputBytes)
    }

    /// The server's answer as the model receives it: text blocks as text, images as images, the
    /// other blocks described in a line, `structuredContent` as JSON text when there is no text.
    static func toolResult(_ result: MCPToolResult, server: String, tool: String, maxBytes: Int) -> ToolResult {
        var content: [ToolContent] = []
        var text: [String] = []
        for block in result.content {
            switch block {
            case .text(let value):
                text.append(value)
            case .image(let data, let mimeType):
                if let bytes = Data(base64Encoded: data) {
                    content.append(.image(mimeType: mimeType, data: [UInt8](bytes)))
                } else {
                    text.append("[an image (\(mimeType)) whose data is not valid base64]")
                }
            case .audio(let data, let mimeType):
                text.append("[audio (\(mimeType)), \(data.utf8.count * 3 / 4) bytes, not shown]")
            case .resource(let contents):
                text.append(contents.text ?? "[resource \(contents.uri): binary, not shown]")
            case .resourceLink(let resource):
                text.append("[resource \(resource.uri)\(resource.name.isEmpty ? "" : " (\(resource.name))")]")
            case .other(let value):
                text.append(JSONWriter.string(value))
            }
        }
        if text.isEmpty, let structured = result.structuredContent {
            text.append(JSONWriter.string(structured))
        }
        if text.isEmpty && content.isEmpty { text.append("(no output)") }
        if !text.isEmpty { content.insert(.text(capped(text.joined(separator: "\n"), maxBytes: maxBytes)), at: 0) }
        return ToolResult(
            content: content, isError: result.isError,
            details: .mcp(MCPCallDetails(server: server, tool: tool, structuredContent: result.structuredContent)))
    }

    /// `text` cut to `maxBytes` at a character boundary, saying how much was shown.
    static func capped(_ text: String, maxBytes: Int) -> String {
        let total = text.utf8.count
        guard total > maxBytes else { return text }
        var end = text.utf8.index(text.utf8.startIndex, offsetBy: maxBytes)
        while end > text.startIndex, !text.unicodeScalars.indices.contains(end) { end = text.utf8.index(before: end) }
        let kept = String(text[..<end])
        return kept + "\n\n[Output truncated: \(kept.utf8.count) of \(total) bytes shown (max_tool_output_bytes).]"
    }
}

import FoundationEssentials
import PieAgent
import PieJSON
import PieMCP
import PiePolicy
import PieSystem

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

    /// Which tool this is, for telling whether a runner's MCP tools are the ones offered now.
    var identity: Identity { Identity(name: name, tool: tool) }

    struct Identity: Equatable {
        var name: String
        var tool: MCPTool
    }

    /// What a tool does happens in its server, which pie cannot see into: calls never overlap.
    var runsAlone: Bool { true }

    func policyRequest(_ arguments: ValidatedArguments, context: ToolContext) -> ToolRequest {
        .mcp(server: server, tool: tool.name)
    }

    func execute(_ arguments: ValidatedArguments, context: ToolContext) async throws(ToolFailure) -> ToolResult {
        let result: MCPToolResult
        do {
            let update = context.onUpdate
            result = try await connection.callTool(
                tool.name, arguments: .object(arguments.object), timeoutMs: timeoutMilliseconds,
                onProgress: { progress in update(.text(Self.describe(progress))) })
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

    /// A `notifications/progress` as the partial result a UI shows while the call runs.
    static func describe(_ progress: MCPProgress) -> String {
        func number(_ value: Double) -> String { value.rounded() == value ? String(Int(value)) : String(value) }
        var text = "progress \(number(progress.progress))"
        if let total = progress.total { text += " of \(number(total))" }
        if let message = progress.message, !message.isEmpty { text += ": \(message)" }
        return text
    }

    /// `text` cut to `maxBytes` at a character boundary, saying how much was shown.
    static func capped(_ text: String, maxBytes: Int) -> String {
        let total = text.utf8.count
        guard total > maxBytes else { return text }
        let kept = TextPrefix.within(text, bytes: maxBytes)
        return kept + "\n\n[Output truncated: \(kept.utf8.count) of \(total) bytes shown (max_tool_output_bytes).]"
    }
}

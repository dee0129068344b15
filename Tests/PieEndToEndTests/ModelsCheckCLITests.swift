import Testing
import PieTestSupport

/// `pie models check` as a user runs it, against a models.json in pi's nested form.
@Suite struct ModelsCheckCLITests {
    private func writeModels(_ project: ScratchProject, api: String, baseURL: String) throws {
        try project.write(".home/.pie/models.json", """
            {"providers": {"proxy": {"baseUrl": "\(baseURL)", "api": "\(api)", "models": [{"id": "m1"}]}}}
            """)
    }

    @Test func anthropicRootIsCheckedAtV1MessagesAndPasses() async throws {
        let server = try ScriptedServer(responses: [HTTPResponses.sse(Self.anthropicToolUse)])
        let project = try ScratchProject()
        defer { project.remove() }
        let root = "http://127.0.0.1:\(server.port)"
        try writeModels(project, api: "anthropic-messages", baseURL: root)
        let result = try await runPie(["models", "check", "proxy:m1"], cwd: project.path)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("tried:          POST \(root)/v1/messages"))
        #expect(result.stdout.contains("tool calling:   yes"))
        #expect(!result.stdout.contains("instead try"))
        #expect(server.requests.first?.path == "/v1/messages")
    }

    @Test func a404NamesTheTriedURLAndTheAlternative() async throws {
        let server = try ScriptedServer(responses: [HTTPResponses.json("404 page not found", status: "404 Not Found")])
        let project = try ScratchProject()
        defer { project.remove() }
        let root = "http://127.0.0.1:\(server.port)"
        try writeModels(project, api: "openai-responses", baseURL: root + "/v1")
        let result = try await runPie(["models", "check", "proxy:m1"], cwd: project.path)
        #expect(result.status == 1)
        #expect(result.stdout.contains("tried:          POST \(root)/v1/responses"), "\(result.stdout)")
        #expect(result.stdout.contains("instead try:    POST \(root)/responses (--base-url \(root))"), "\(result.stdout)")
    }

    /// Anthropic's stream for one tool call, the shape the SDKs parse.
    static let anthropicToolUse = """
        event: message_start
        data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],"model":"m1","usage":{"input_tokens":5,"output_tokens":1}}}

        event: content_block_start
        data: {"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_1","name":"ping","input":{}}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\\"value\\": \\"ok\\"}"}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":0}

        event: message_delta
        data: {"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":9}}

        event: message_stop
        data: {"type":"message_stop"}


        """
}

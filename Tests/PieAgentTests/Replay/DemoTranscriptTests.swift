import PieAgent
import PieLocal
import Testing
import PieJSON

/// Tools that answer like the real ones would on examples/demo-project, so the shipped demo
/// transcript can be checked end to end without a sandbox.
private struct DemoProjectTools: ToolExecutor {
    func executionMode(for toolName: String) -> ToolExecutionMode { toolName == "edit" ? .alone : .parallel }

    func execute(_ call: ToolCall, onUpdate: @escaping @Sendable (ToolResult) -> Void) async throws -> ToolResult {
        switch call.name {
        case "read": ToolResult(content: [.text("def total(prices):\n    # TODO: handle discounts\n    return sum(prices)\n")])
        case "edit": ToolResult(content: [.text("Successfully replaced 1 block(s) in src/app.py.")])
        default: ToolResult(content: [.text("1 passed, 0 failed\n")])
        }
    }
}

@Suite("Demo transcript")
struct DemoTranscriptTests {
    static var repositoryRoot: String {
        "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false).dropLast(4).joined(separator: "/")
    }

    static var transcriptPath: String { repositoryRoot + "/examples/demo-transcript.jsonl" }

    @Test func demoReadsEditsTestsIsDeniedOnceAndRecovers() async throws {
        let provider = ReplayProvider(transcript: try ReplayTranscript(contentsOfFile: Self.transcriptPath))
        let specs = ["read", "edit", "bash"].map { ToolSpec(name: $0, description: $0, parameters: ["type": "object"]) }
        let hooks = AgentHooks(beforeToolCall: { context in
            let command = context.call.arguments["command"]?.stringValue ?? ""
            return command.contains("| sh") ? .block(reason: "Denied: pipes a download into a shell") : .allow
        })
        let configuration = AgentConfiguration(
            provider: provider, model: ModelDescriptor(id: "demo", api: .openAICompletions, provider: "replay", baseURL: ""),
            tools: specs, toolExecutor: DemoProjectTools(), hooks: hooks)

        let result = await AgentLoop(configuration: configuration).run(prompts: [.user("Add discount support to total().")])

        #expect(result.outcome == .completed)
        #expect(provider.remaining == 0)
        let results = result.newMessages.compactMap(\.toolResult)
        #expect(results.map(\.toolName) == ["read", "edit", "bash", "bash"])
        #expect(results.map(\.isError) == [false, false, false, true])
        let edit = result.newMessages.compactMap(\.assistant).flatMap(\.toolCalls).first { $0.name == "edit" }
        #expect(edit?.arguments["edits"]?[0]?["newText"]?.stringValue?.contains("discount=0.0") == true)
        #expect(result.newMessages.last?.assistant?.text.contains("1 passed") == true)
    }
}

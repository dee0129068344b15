import PieAgent
import PieLocal
import Testing
import PieJSON
import PiePolicy

/// The real tools' names, schemas and policy requests, answering like they would on
/// examples/demo-project, so the shipped demo transcript can be checked end to end without a
/// sandbox.
private struct DemoProjectTool: AgentTool {
    let base: any AgentTool

    var name: String { base.name }
    var description: String { base.description }
    var schema: ToolSchema { base.schema }
    var runsAlone: Bool { base.runsAlone }

    func prepareArguments(_ object: JSONObject) -> Result<JSONObject, ArgumentProblem> {
        base.prepareArguments(object)
    }

    func policyRequest(_ arguments: ValidatedArguments, context: ToolContext) -> ToolRequest {
        base.policyRequest(arguments, context: context)
    }

    func execute(_ arguments: ValidatedArguments, context: ToolContext) async throws(ToolFailure) -> ToolResult {
        switch name {
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
        let fixture = ToolFixture()
        let real: [any AgentTool] = [ReadTool(), EditTool(), BashTool()]
        let tools: [any AgentTool] = real.map { DemoProjectTool(base: $0) }
        let hooks = AgentHooks(beforeToolCall: { context in
            let command = context.call.arguments["command"]?.stringValue ?? ""
            return command.contains("| sh") ? .block(reason: "Denied: pipes a download into a shell") : .allow
        })
        let configuration = AgentConfiguration(
            provider: provider, model: ModelDescriptor(id: "demo", api: .openAICompletions, provider: "replay", baseURL: ""),
            tools: ToolRunner(tools: tools, context: fixture.context()), hooks: hooks)

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

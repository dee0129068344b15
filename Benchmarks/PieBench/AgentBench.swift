import PieAgent
import PieLocal
import PiePolicy
import PieSandbox
import PieJSON

/// The agent loop's own cost per tool round-trip (target < 2 ms): `AgentLoop` against an
/// in-process provider that answers with a `read` call and then with text, through the real
/// `ToolRunner` (validation, policy gate, confined read of a small file). No network and no
/// sandbox spawn, so what remains is the loop, the conversions and the tool path. A text-only run
/// (one model call, no tool) is measured beside it; the difference is one round-trip.
enum AgentBench {
    /// Answers the prompt "answer" with text; any other prompt with a `read` call, and the
    /// follow-up that carries its result with text.
    private struct ScriptedModel: Provider {
        func stream(
            _ request: ChatRequest, model: ModelDescriptor, apiKey: String?,
            onEvent: @escaping @Sendable (StreamEvent) -> Void
        ) async throws {
            if case .toolResult = request.messages.last {
                onEvent(.textDelta("The file defines one function."))
                onEvent(.stop(.stop))
            } else if case .user(let blocks) = request.messages.last, blocks == [.text("answer")] {
                onEvent(.textDelta("Answered without tools."))
                onEvent(.stop(.stop))
            } else {
                let arguments = "{\"path\": \"small.swift\"}"
                onEvent(.toolCallStart(index: 0, id: "call_read", name: "read"))
                onEvent(
                    .toolCallEnd(
                        index: 0,
                        call: ToolCall(
                            id: "call_read", name: "read", arguments: ["path": "small.swift"], rawArguments: arguments)))
                onEvent(.stop(.toolUse))
            }
        }
    }

    static let iterations = 300

    static func run() async throws {
        guard let project = BenchEnvironment.temporaryDirectory("agent") else {
            print("agent: failed: no temporary directory")
            return
        }
        defer { BenchEnvironment.remove(project) }
        BenchEnvironment.writeFile(project + "/small.swift", "func greet() -> String {\n    \"hello\"\n}\n")

        let environment = BenchEnvironment.variables()
        let policy = try PolicyBuilder.build(
            PolicyInputs(cwd: project, home: environment["HOME"] ?? "/", environment: environment)
        ).policy
        let runner = ToolRunner.standard(
            policy: policy, files: ConfinedFileOperations(paths: policy.paths, enforceRegularFiles: policy.enforceRegularFiles),
            shell: SandboxedShell(policy: policy, environment: environment), cwd: project, spillDirectory: project)
        let hooks = try AgentHooks().guarded(by: policy)
        let model = ModelDescriptor(id: "scripted", api: .openAICompletions, provider: "bench", baseURL: "http://127.0.0.1:1/v1")
        let loop = AgentLoop(
            configuration: AgentConfiguration(
                provider: ScriptedModel(), model: model, systemPrompt: "You are a benchmark.", tools: runner,
                hooks: hooks))

        let withTool = await time(messages: 4) { await loop.run(prompts: [.user("read small.swift")]) }
        let textOnly = await time(messages: 2) { await loop.run(prompts: [.user("answer")]) }
        let readCall = ToolCall(id: "direct", name: "read", rawArguments: "{\"path\": \"small.swift\"}")
        let readAlone = await time { _ = await runner.run(readCall, hooks: hooks) }

        report("run with one read round-trip (2 model calls)", withTool.summary, withTool.failures)
        report("run with text only (1 model call)", textOnly.summary, textOnly.failures)
        report("read tool alone via ToolRunner", readAlone.summary, 0)
        print(
            "agent: tool round-trip overhead (median difference): \(format((withTool.summary.median - textOnly.summary.median) * 1_000, 1)) µs"
        )
    }

    /// Times a whole run; a run counts as failed unless it completed with `messages` new messages
    /// (the prompt, each reply and each tool result), so a short-circuited run cannot pass as fast.
    private static func time(messages: Int, _ body: () async -> AgentRunResult) async -> (summary: Summary, failures: Int) {
        var samples: [Double] = []
        var failures = 0
        for round in 0...iterations {
            let start = monotonicNanos()
            let result = await body()
            if round > 0 { samples.append(Double(monotonicNanos() - start) / 1e6) }
            if case .completed = result.outcome, result.newMessages.count == messages {} else { failures += 1 }
        }
        return (Summary(samples), failures)
    }

    private static func time(_ body: () async -> Void) async -> (summary: Summary, failures: Int) {
        var samples: [Double] = []
        for round in 0...iterations {
            let start = monotonicNanos()
            await body()
            if round > 0 { samples.append(Double(monotonicNanos() - start) / 1e6) }
        }
        return (Summary(samples), 0)
    }

    private static func report(_ name: String, _ summary: Summary, _ failures: Int) {
        let note = failures > 0 ? " (\(failures) runs did not complete)" : ""
        print("agent: \(name): median \(format(summary.median * 1_000, 1)) µs, p90 \(format(summary.p90 * 1_000, 1)) µs (n=\(iterations))\(note)")
    }
}

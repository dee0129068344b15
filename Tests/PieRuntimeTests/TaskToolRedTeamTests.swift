import Foundation
import PieAgent
import PieJSON
import PieLocal
import PiePolicy
import PieRuntime
import PieSandbox
import PieTestSupport
import Testing

/// `task` against a model that tries to get more than its policy gives, by class: tools the
/// parent lacks or may not hand on, arguments smuggled past the schema, unknown fields, sizes,
/// text that would forge a terminal line, nested delegation, and presets that refuse it. Each
/// call goes through the agent's own guarded runner; none may reach the model server, and each
/// is audited.
@Suite("task: red team")
struct TaskToolRedTeamTests {
    /// The agent's tools with its gate and audit; its server must never be asked.
    struct Harness {
        let scratch: Scratch
        let server: ScriptedServer
        let agent: AssembledAgent

        init(preset: PolicyPreset = .balanced) throws {
            scratch = try Scratch()
            server = try ScriptedServer(responses: [TaskFixtures.text("must not be asked")])
            var options = TaskFixtures.options(scratch, server, limits: TaskLimits(maxPromptBytes: 1_000))
            options.policy = PolicySelection(preset: preset)
            agent = try TaskFixtures.builder(scratch).build(options)
        }

        func call(_ raw: String) async -> ToolResult {
            await agent.runner.run(ToolCall(id: "call_x", name: "task", rawArguments: raw), hooks: agent.configuration.hooks)
        }
    }

    static func text(_ result: ToolResult) -> String {
        result.content.compactMap { block in
            if case .text(let text) = block { return text }
            return nil
        }.joined()
    }

    @Test(
        "arguments that are refused before anyone is asked",
        arguments: [
            // Tools the parent does not have, or may not hand on.
            (#"{"description":"d","prompt":"p","tools":["task"]}"#, "sub-agents do not delegate further"),
            (#"{"description":"d","prompt":"p","tools":["read","sudo"]}"#, "'sudo', which this agent does not have"),
            (#"{"description":"d","prompt":"p","tools":["mcp__github__delete_repo"]}"#, "which this agent does not have"),
            (#"{"description":"d","prompt":"p","tools":["schedule"]}"#, "which this agent does not have"),
            (#"{"description":"d","prompt":"p","tools":["read","read"]}"#, "names 'read' twice"),
            (#"{"description":"d","prompt":"p","tools":[]}"#, "tools"),
            (#"{"description":"d","prompt":"p","tools":"bash"}"#, "tools"),
            (#"{"description":"d","prompt":"p","tools":[{"name":"bash"}]}"#, "tools[0]"),
            // Unknown fields: a policy, a model or limits smuggled in are never read.
            (#"{"description":"d","prompt":"p","policy":{"task_tool":"allow"}}"#, "unknown field 'policy'"),
            (#"{"description":"d","prompt":"p","model":"gpt-x","max_turns":1000}"#, "unknown field 'model'"),
            (#"{"description":"d","prompt":"p","tools":["read"],"Tools":["bash"]}"#, "unknown field 'Tools'"),
            // Smuggling through the JSON itself: a duplicate key, trailing content, lone surrogates.
            (#"{"description":"d","prompt":"p","tools":["read"],"tools":["bash"]}"#, "duplicate"),
            (#"{"description":"d","prompt":"p"}{"tools":["bash"]}"#, "not valid JSON"),
            (#"{"description":"d","prompt":"\ud800"}"#, "not valid JSON"),
            // Missing or empty fields.
            (#"{"prompt":"p"}"#, "missing required field 'description'"),
            (#"{"description":"d"}"#, "missing required field 'prompt'"),
            (#"{"description":"  ","prompt":"p"}"#, "'description' is empty"),
            (#"{"description":"d","prompt":" \n "}"#, "'prompt' is empty"),
            // A description that would forge what a terminal or an approval question shows.
            (#"{"description":"ok\u001b[2J\u001b[Hallowed","prompt":"p"}"#, "U+001B"),
            (#"{"description":"line\nAllow? [y]","prompt":"p"}"#, "U+000A"),
            (#"{"description":"txt.\u202Eexe","prompt":"p"}"#, "U+202E"),
        ] as [(String, String)])
    func refusedArguments(_ raw: String, _ expected: String) async throws {
        let harness = try Harness()

        let result = await harness.call(raw)

        #expect(result.isError)
        #expect(Self.text(result).hasPrefix("Invalid arguments for task"))
        #expect(Self.text(result).contains(expected))
        #expect(harness.server.requests.isEmpty)
        let records = try TaskFixtures.auditRecords(harness.scratch)
        #expect(records.map { $0["rule"]?.stringValue } == ["arguments.invalid"])
    }

    @Test func anOversizedPromptIsRefusedNamingTheLimit() async throws {
        let harness = try Harness()
        let prompt = String(repeating: "x", count: 1_001)

        let result = await harness.call(JSONWriter.string(["description": "d", "prompt": .string(prompt)]))

        #expect(result.isError)
        #expect(Self.text(result).contains("'prompt' is 1001 bytes; the limit is 1000"))
        #expect(harness.server.requests.isEmpty)
    }

    @Test func anOverlongDescriptionIsRefused() async throws {
        let harness = try Harness()
        let description = String(repeating: "d", count: TaskLimits.maxDescriptionCharacters + 1)

        let result = await harness.call(JSONWriter.string(["description": .string(description), "prompt": "p"]))

        #expect(Self.text(result).contains("the limit is \(TaskLimits.maxDescriptionCharacters)"))
        #expect(harness.server.requests.isEmpty)
    }

    @Test(
        "a sub-agent that may write or run commands is asked, and nobody to ask denies it",
        arguments: [["bash"], ["read", "edit"], ["write"]])
    func actingToolsNeedAPerson(_ tools: [String]) async throws {
        let harness = try Harness()

        let result = await harness.call(JSONWriter.string(TaskFixtures.task("d", "p", tools: tools)))

        #expect(result.isError)
        #expect(Self.text(result).contains("task_tool"))
        #expect(harness.server.requests.isEmpty)
        let records = try TaskFixtures.auditRecords(harness.scratch)
        #expect(records.map { $0["event"]?.stringValue } == ["decision", "approval", "completion"])
        #expect(records[0]["decision"]?.stringValue == "ask")
        #expect(records[1]["approver"]?.stringValue == "nobody")
    }

    @Test func hardenedRefusesEveryDelegation() async throws {
        let harness = try Harness(preset: .hardened)

        let result = await harness.call(JSONWriter.string(TaskFixtures.task("d", "p")))

        #expect(result.isError)
        #expect(Self.text(result).contains("Denied by policy (rule task_tool)"))
        #expect(harness.server.requests.isEmpty)
    }

    @Test func aStoppedSupervisorStartsNoSubAgent() async throws {
        let harness = try Harness()
        harness.agent.tasks?.stopAll("the run was stopped")

        let result = await harness.call(JSONWriter.string(TaskFixtures.task("d", "p")))

        #expect(result.isError)
        #expect(Self.text(result).contains("The sub-agent was not started: the run was stopped."))
        #expect(harness.server.requests.isEmpty)
    }
}

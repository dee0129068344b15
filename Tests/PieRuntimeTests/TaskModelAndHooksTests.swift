import Foundation
import PieAgent
import PieHooks
import PieJSON
import PieLocal
import PiePolicy
@testable import PieRuntime
import PieSandbox
import PieTestSupport
import Testing

/// The policy's `task_model` (the sub-agents' model and fallbacks) and the lifecycle hooks a
/// sub-agent's events reach, end to end over a scripted OpenAI-compatible server that every model
/// of a models.json points at, so each request names the model it was sent to.
@Suite("task: the sub-agents' model and hooks")
struct TaskModelAndHooksTests {
    /// Three models of one provider, all at `server`.
    static func models(_ scratch: Scratch, _ server: ScriptedServer) throws {
        let entries = ["parent-m", "sub-m", "sub-fallback"].map {
            #"{"id":"\#($0)","provider":"local","api":"openai-completions","baseUrl":"\#(server.baseURL)"}"#
        }
        try scratch.write(scratch.home + "/.pie/models.json", #"{"models":["# + entries.joined(separator: ",") + "]}")
    }

    static func options(_ scratch: Scratch) -> AgentOptions {
        AgentOptions(
            cwd: scratch.project, model: ModelSelection(model: "local:parent-m", maxRetries: 0), session: .new,
            tasks: TaskLimits())
    }

    /// The `model` each request asked for, in order.
    static func requestedModels(_ server: ScriptedServer) -> [String?] {
        server.requests.map { $0.json?["model"]?.stringValue }
    }

    @Test func subAgentsAnswerFromThePolicysModelAndTheParentFromItsOwn() async throws {
        let scratch = try Scratch()
        try scratch.write("notes.txt", "plum\n")
        try scratch.write(scratch.home + "/team.toml", "task_model = \"local:sub-m\"\n")
        let server = try ScriptedServer(responses: [
            TaskFixtures.calls([("call_t", "task", TaskFixtures.task("look", "What is in notes.txt?"))]),
            TaskFixtures.calls([("call_r", "read", ["path": "notes.txt"])]),
            TaskFixtures.text("plum"),
            TaskFixtures.text("It says plum."),
        ])
        try Self.models(scratch, server)
        var options = Self.options(scratch)
        options.policy = PolicySelection(profile: scratch.home + "/team.toml")
        var agent = try TaskFixtures.builder(scratch).build(options)

        let result = await agent.send("What is in the notes?")

        #expect(result.outcome == .completed)
        #expect(Self.requestedModels(server) == ["parent-m", "sub-m", "sub-m", "parent-m"])
        let results = TaskFixtures.toolResults(result.newMessages)
        try #require(results.count == 1)
        #expect(TaskFixtures.text(results[0]) == "plum")
    }

    @Test func withoutTaskModelSubAgentsUseTheParentsModel() async throws {
        let scratch = try Scratch()
        let server = try ScriptedServer(responses: [
            TaskFixtures.calls([("call_t", "task", TaskFixtures.task("look", "Anything?"))]),
            TaskFixtures.text("nothing"),
            TaskFixtures.text("Nothing."),
        ])
        try Self.models(scratch, server)
        var agent = try TaskFixtures.builder(scratch).build(Self.options(scratch))

        let result = await agent.send("go")

        #expect(result.outcome == .completed)
        #expect(Self.requestedModels(server) == ["parent-m", "parent-m", "parent-m"])
    }

    @Test func aFailingTaskModelFallsBackToTheSubAgentsFallbacksNotTheParents() async throws {
        let scratch = try Scratch()
        try scratch.write(
            scratch.home + "/team.toml", "task_model = \"local:sub-m\"\ntask_fallback_models = [\"local:sub-fallback\"]\n")
        let server = try ScriptedServer(responses: [
            TaskFixtures.calls([("call_t", "task", TaskFixtures.task("look", "Anything?"))]),
            HTTPResponses.json(#"{"error":{"message":"overloaded"}}"#, status: "503 Service Unavailable"),
            TaskFixtures.text("from the fallback"),
            TaskFixtures.text("Done."),
        ])
        try Self.models(scratch, server)
        var options = Self.options(scratch)
        options.policy = PolicySelection(profile: scratch.home + "/team.toml")
        var agent = try TaskFixtures.builder(scratch).build(options)

        let result = await agent.send("go")

        #expect(result.outcome == .completed)
        #expect(Self.requestedModels(server) == ["parent-m", "sub-m", "sub-fallback", "parent-m"])
        let results = TaskFixtures.toolResults(result.newMessages)
        try #require(results.count == 1)
        #expect(TaskFixtures.text(results[0]) == "from the fallback")
    }

    @Test(arguments: [
        ("task_model = \"ghost\"\n", "task_model = \"ghost\"", "no such model"),
        // Not a provider's prefix, so one model id (Ollama's ids hold colons) that no provider lists.
        ("task_model = \"nowhere:m\"\n", "task_model = \"nowhere:m\"", "no such model"),
        ("task_model = \"local:sub-m\"\ntask_fallback_models = [\"ghost\"]\n", "task_fallback_models = \"ghost\"", "no such model"),
    ])
    func anUnknownModelStopsTheBuildNamingTheFieldAndWhatToDo(_ file: String, _ named: String, _ problem: String) throws {
        let scratch = try Scratch()
        let server = try ScriptedServer(responses: [])
        try Self.models(scratch, server)
        let profile = try scratch.write(scratch.home + "/team.toml", file)
        var options = Self.options(scratch)
        options.policy = PolicySelection(profile: profile)

        #expect {
            try TaskFixtures.builder(scratch).build(options)
        } throws: { error in
            guard let error = error as? AgentBuildError, case .taskModel = error else { return false }
            let text = error.description
            return error.isBadInput && text.hasPrefix(named) && text.contains("profile:\(profile)") && text.contains(problem)
                && text.contains("pie models list") && text.contains("local:sub-m")
        }
        // An agent without the task tool never starts a sub-agent: the name is not its concern.
        options.tasks = nil
        _ = try TaskFixtures.builder(scratch).build(options)
        #expect(server.requests.isEmpty)
    }

    @Test func aSubAgentsEventsReachTheParentsHooksMarkedWithTheCall() async throws {
        let scratch = try Scratch()
        try scratch.write("notes.txt", "plum\n")
        try FileManager.default.createDirectory(atPath: scratch.project + "/heard", withIntermediateDirectories: true)
        let copy = #"cp \"$PIE_HOOK_PAYLOAD\" \"$(mktemp -p \"$PIE_CWD/heard\")\""#
        var hooks = ""
        for event in ["agent_end", "tool_end"] { hooks += "[[hook]]\nevent = \"\(event)\"\ncommand = \"\(copy)\"\n" }
        // A pre_tool hook that records the payload and denies the sub-agent's `ls`.
        hooks += "[[hook]]\nevent = \"pre_tool\"\ntool = \"ls\"\ncommand = \"\(copy); echo 'no listing' >&2; exit 2\"\n"
        try scratch.write(scratch.home + "/.pie/hooks.toml", hooks)
        try scratch.write(scratch.home + "/team.toml", "task_model = \"local:sub-m\"\n")
        let server = try ScriptedServer(responses: [
            TaskFixtures.calls([("call_t", "task", TaskFixtures.task("look", "What is here?"))]),
            TaskFixtures.calls([("call_r", "read", ["path": "notes.txt"]), ("call_l", "ls", [:])]),
            TaskFixtures.text("plum"),
            TaskFixtures.text("It says plum."),
        ])
        try Self.models(scratch, server)
        var options = Self.options(scratch)
        options.policy = PolicySelection(profile: scratch.home + "/team.toml")
        var agent = try TaskFixtures.builder(scratch).build(options)

        let result = await agent.send("go")
        await agent.lifecycle?.drain()

        #expect(result.outcome == .completed)
        let parent = try #require(agent.recorder?.session)
        let taskResult = try #require(TaskFixtures.toolResults(result.newMessages).first)
        let details = try #require(TaskFixtures.taskDetails(taskResult))
        let child = try #require(details.sessionID)
        let directory = scratch.project + "/heard"
        let payloads = try FileManager.default.contentsOfDirectory(atPath: directory).map { name in
            try JSONParser.parse(Array(try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name))))
        }
        func heard(_ event: String, tool: String? = nil) -> [JSONValue] {
            payloads.filter { $0["event"]?.stringValue == event && (tool == nil || $0["tool_name"]?.stringValue == tool) }
        }
        // The parent's own events: its session and model, no parent fields.
        for payload in heard("agent_end") + heard("tool_end", tool: "task") where payload["parent_tool_call_id"] == nil {
            #expect(payload["session_id"]?.stringValue == parent.id)
            #expect(payload["model_id"]?.stringValue == "parent-m")
        }
        #expect(heard("tool_end", tool: "task").map { $0["parent_tool_call_id"] } == [nil])
        // The sub-agent's: its own session and model, marked with the parent's session and call.
        let fromChild = payloads.filter { $0["parent_tool_call_id"] != nil }
        #expect(Set(fromChild.compactMap { $0["event"]?.stringValue }) == ["agent_end", "tool_end", "pre_tool"])
        #expect(heard("agent_end").count == 2)
        for payload in fromChild {
            #expect(payload["parent_tool_call_id"]?.stringValue == "call_t")
            #expect(payload["parent_session_id"]?.stringValue == parent.id)
            #expect(payload["session_id"]?.stringValue == child)
            #expect(payload["model_id"]?.stringValue == "sub-m")
            #expect(payload["text"]?.stringValue?.contains("sub-agent of call call_t") == true)
        }
        #expect(Set(heard("tool_end").compactMap { $0["tool_name"]?.stringValue }) == ["task", "read", "ls"])
        // The pre_tool hook judged the sub-agent's call with the same rights as the parent's: it denied it.
        #expect(heard("pre_tool").map { $0["tool_name"]?.stringValue } == ["ls"])
        #expect(server.requests[2].bodyText.contains("Denied by pre_tool hook: no listing"))
    }
}

import Glibc
import PieAgent
import PieAutomations
import PieJSON
import PieRuntime
import PieSandbox
import PieTestSupport
import Testing

@testable import PieScheduler

/// An automation run whose model delegates: what its sub-agents spend counts against the run's
/// `max_tokens`, and spending it stops the sub-agent and then the run.
@Suite struct AgentRunExecutorTaskTests {
    /// A streamed reply calling one tool, with `input` prompt tokens and 3 output tokens.
    static func call(_ id: String, _ tool: String, _ arguments: JSONValue, input: Int) -> String {
        let toolCall: JSONValue = [
            "index": 0, "id": .string(id), "type": "function",
            "function": ["name": .string(tool), "arguments": .string(JSONWriter.string(arguments))],
        ]
        let events: [JSONValue] = [
            ["choices": [["index": 0, "delta": ["tool_calls": [toolCall]]]]],
            ["choices": [["index": 0, "delta": [:], "finish_reason": "tool_calls"]]],
            ["choices": [], "usage": ["prompt_tokens": .integer(input), "completion_tokens": 3]],
        ]
        return HTTPResponses.sse(events.map { "data: \(JSONWriter.string($0))\n\n" }.joined() + "data: [DONE]\n\n")
    }

    @Test func aSubAgentsTokensCountAgainstTheRunsBudget() async throws {
        let scratch = try ScratchStore()
        defer { remove(scratch.directory) }
        let server = try ScriptedServer(responses: [
            Self.call("call_t", "task", ["description": "look", "prompt": "Read notes.txt."], input: 12),
            Self.call("call_r", "read", ["path": "notes.txt"], input: 500),
            AgentRunExecutorRunTests.reply("must not be asked"),
        ])
        defer { server.stop() }
        let pieDirectory = scratch.directory + "/.pie"
        #expect(mkdir(pieDirectory, 0o700) == 0)
        let models = #"{"models":[{"id":"scripted","provider":"local","api":"openai-completions","baseUrl":"\#(server.baseURL)"}]}"#
        let fd = open(pieDirectory + "/models.json", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        _ = models.withCString { Glibc.write(fd, $0, strlen($0)) }
        close(fd)
        let automation = try Fixture.automation(
            "delegate",
            """
            prompt = "Look at the notes."
            model = "local:scripted"
            tool_policy_preset = "balanced"
            [trigger]
            webhook = { path = "/hooks/look", secret_env = "S", signature = "hmac-sha256" }
            [run]
            max_tokens = 100
            """, directory: scratch.directory)
        let store = try scratch.open()
        let id = try store.enqueueTriggered(automation: automation, kind: .webhook, payload: "{}", at: Instant(secondsSinceEpoch: 0))
        let run = try #require(try store.run(id))
        var services = AgentServices.standard(sandbox: SandboxServices())
        services.prepareWarmSandbox = false
        let environment = ["HOME": scratch.directory, "PIE_DIR": pieDirectory, "PATH": "/usr/bin:/bin"]
        let executor = AgentRunExecutor(
            builder: AgentBuilder(environment: environment, services: services), defaultProject: scratch.directory, store: store)

        let outcome = await executor.execute(run, of: automation)

        #expect(outcome.state == .failed)
        #expect(outcome.reason?.hasPrefix("max_tokens 100 exceeded") == true, "\(outcome)")
        // The parent's call, the sub-agent's one turn; the run asked nothing after the budget was spent.
        #expect(server.requests.count == 2)
    }

    private func remove(_ directory: String) {
        // Through HostProcess, whose child inherits no descriptor of this process (a bare
        // posix_spawn would hand every open file of the tests running beside this one to `rm`).
        _ = try? HostProcess.runBlocking(["/bin/rm", "-rf", directory])
    }
}

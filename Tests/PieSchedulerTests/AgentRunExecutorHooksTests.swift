import Foundation
import Glibc
import PieAgent
import PieAutomations
import PieJSON
import PiePolicy
import PieRuntime
import PieSandbox
import PieSystem
import PieTestSupport
import Testing

@testable import PieScheduler

/// Lifecycle hooks of automation runs: `automation_start`, `automation_end` and `approval_needed`
/// from the executor, and the untrusted project hooks file that stops an unattended run.
@Suite struct AgentRunExecutorHooksTests {
    static func toolCall(_ id: String, _ name: String, _ arguments: String) -> String {
        var escaped = ""
        JSONEscaper.escape(arguments, into: &escaped)
        let events = [
            #"{"choices":[{"index":0,"delta":{"role":"assistant","tool_calls":[{"index":0,"id":"\#(id)","type":"function","function":{"name":"\#(name)","arguments":\#(escaped)}}]}}]}"#,
            #"{"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}"#,
        ]
        return HTTPResponses.sse(events.map { "data: \($0)\n\n" }.joined() + "data: [DONE]\n\n")
    }

    func write(_ path: String, _ text: String) throws {
        if let slash = path.lastIndex(of: "/") { try FileIO.makeDirectories(String(path[..<slash])) }
        try FileIO.writeAtomically(Array(text.utf8), to: path, mode: 0o600)
    }

    func read(_ path: String) throws -> JSONValue? {
        try FileIO.read(path).map { try JSONParser.parse($0) }
    }

    func executor(_ scratch: ScratchStore, store: SchedulerStore) -> AgentRunExecutor {
        var services = AgentServices.standard(sandbox: SandboxServices())
        services.prepareWarmSandbox = false
        let environment = ["HOME": scratch.directory, "PIE_DIR": scratch.directory + "/.pie", "PATH": "/usr/bin:/bin"]
        var executor = AgentRunExecutor(
            builder: AgentBuilder(environment: environment, services: services), defaultProject: scratch.directory, store: store)
        executor.approvalPollInterval = .milliseconds(20)
        return executor
    }

    @Test func automationHooksSeeTheRunStartParkAndEnd() async throws {
        let scratch = try ScratchStore()
        defer { try? FileManager.default.removeItem(atPath: scratch.directory) }
        let server = try ScriptedServer(responses: [
            Self.toolCall("call_1", "write", #"{"path":"deploy/prod.yaml","content":"v2\n"}"#),
            AgentRunExecutorRunTests.reply("Not deployed."),
        ])
        defer { server.stop() }
        let pie = scratch.directory + "/.pie"
        try write(
            pie + "/models.json",
            #"{"models":[{"id":"scripted","provider":"local","api":"openai-completions","baseUrl":"\#(server.baseURL)"}]}"#)
        try write(scratch.directory + "/.pie/policy.toml", "ask_paths = [\"deploy\"]\n")
        var hooks = ""
        for (event, file) in [("automation_start", "start"), ("approval_needed", "approval"), ("automation_end", "end")] {
            hooks += "[[hook]]\nevent = \"\(event)\"\ncommand = \"cp \\\"$PIE_HOOK_PAYLOAD\\\" \\\"$PIE_CWD/\(file).json\\\"\"\n"
        }
        try write(pie + "/hooks.toml", hooks)
        let automation = try Fixture.automation(
            "deploy",
            "prompt = \"Deploy.\"\nmodel = \"local:scripted\"\ntool_policy_preset = \"balanced\"\n[trigger]\nevery = \"1h\"\n",
            directory: scratch.directory)
        let store = try scratch.open()
        let id = try store.enqueueTriggered(automation: automation, kind: .webhook, payload: nil, at: Instant(secondsSinceEpoch: 0))
        // Claimed as serve claims it: only a running run can park and be answered.
        let run = try #require(
            try store.claimNext(owner: .current(), now: Instant(secondsSinceEpoch: 1), leaseSeconds: 600, files: [automation.path]))
        #expect(run.id == id)
        let executor = executor(scratch, store: store)

        let running = Task { await executor.execute(run, of: automation) }
        // The operator's hook hears of the parked call while the run waits for an answer.
        var approval: JSONValue?
        for _ in 0..<1000 where approval == nil {
            approval = try read(scratch.directory + "/approval.json")
            if approval == nil { try await Task.sleep(for: .milliseconds(20)) }
        }
        let parked = try #require(approval, "approval_needed never ran")
        try store.answer(run: id, call: "call_1", approve: false, now: Instant(secondsSinceEpoch: 1))
        let outcome = await running.value

        #expect(outcome.state == .succeeded)
        #expect(parked["automation_id"]?.stringValue == "deploy" && parked["run_id"]?.intValue == Int(id.rawValue))
        #expect(parked["tool_name"]?.stringValue == "write" && parked["tool_call_id"]?.stringValue == "call_1")
        #expect(parked["tool_args"]?["path"]?.stringValue == "deploy/prod.yaml")
        #expect(parked["approval_rule"]?.stringValue == "ask_paths")
        #expect(parked["approve_command"]?.stringValue == "pie automations approve \(id) call_1")
        #expect(parked["deny_command"]?.stringValue == "pie automations deny \(id) call_1")
        let start = try #require(try read(scratch.directory + "/start.json"))
        #expect(start["event"]?.stringValue == "automation_start" && start["trigger"]?.stringValue == "webhook")
        #expect(start["automation_id"]?.stringValue == "deploy")
        // automation_end ran before execute returned: the executor waits for its hooks.
        let end = try #require(try read(scratch.directory + "/end.json"))
        #expect(end["run_state"]?.stringValue == "succeeded" && end["model_id"]?.stringValue == "scripted")
    }

    @Test func anUntrustedProjectHooksFileFailsTheRunAndSaysHowToTrustIt() async throws {
        let scratch = try ScratchStore()
        defer { try? FileManager.default.removeItem(atPath: scratch.directory) }
        let server = try ScriptedServer(responses: [AgentRunExecutorRunTests.reply("Ran.")])
        defer { server.stop() }
        let pie = scratch.directory + "/.pie"
        try write(
            pie + "/models.json",
            #"{"models":[{"id":"scripted","provider":"local","api":"openai-completions","baseUrl":"\#(server.baseURL)"}]}"#)
        let hooks = "[[hook]]\nevent = \"automation_start\"\ncommand = \"touch \\\"$PIE_CWD/started\\\"\"\n"
        // PIE_DIR is the project's .pie here, so the project's file is a separate one below it.
        let projectFile = scratch.directory + "/project/.pie/hooks.toml"
        try write(projectFile, hooks)
        let automation = try Fixture.automation(
            "nightly", "prompt = \"p\"\nmodel = \"local:scripted\"\n[trigger]\nevery = \"1h\"\n",
            directory: scratch.directory + "/project")
        let store = try scratch.open()
        let id = try store.enqueueTriggered(automation: automation, kind: .webhook, payload: nil, at: Instant(secondsSinceEpoch: 0))
        let run = try #require(try store.run(id))
        let executor = executor(scratch, store: store)

        let refused = await executor.execute(run, of: automation)
        #expect(refused.state == .failed)
        #expect(refused.reason?.contains(projectFile) == true && refused.reason?.contains("pie hooks trust") == true)
        #expect(server.requests.isEmpty)

        try ProjectTrust(stateDirectory: pie).trust(file: projectFile, contents: Array(hooks.utf8))
        let trusted = await executor.execute(run, of: automation)
        #expect(trusted.state == .succeeded, "\(trusted.reason ?? "")")
        #expect(FileIO.isDirectory(scratch.directory + "/project") && access(scratch.directory + "/project/started", F_OK) == 0)
    }
}

import Foundation
import PieLocal
import PiePolicy
import PieSandbox
import Synchronization
import Testing

@testable import PieAgent
import PieSystem

@Suite("tool runner dispatch path")
struct ToolRunnerTests {
    let fixture = ToolFixture()

    /// A stand-in for the lead's `PolicyEngine`: judges file requests with `PathPolicy.classify`.
    private func pathGate(_ paths: PathPolicy) -> @Sendable (BeforeToolCallContext) async -> ToolGate {
        { context in
            guard case .file(let tool, let path) = context.request else {
                return .policy(Decision(allowed: true, rule: "allowed", reason: "ok", trace: []))
            }
            switch paths.classify(path, access: tool.access) {
            case .allowed: return .policy(Decision(allowed: true, rule: "allowed", reason: "ok", trace: []))
            case .denied(let rule, let reason): return .policy(Decision(allowed: false, rule: rule, reason: reason, trace: []))
            }
        }
    }

    /// The coding tools with `hooks`, run through the one dispatch path.
    private struct Guarded {
        let runner: ToolRunner
        let hooks: AgentHooks

        func run(_ call: ToolCall) async -> ToolResult { await runner.run(call, hooks: hooks) }
        var definitions: [ToolDefinition] { runner.definitions }
    }

    private func runner(_ hooks: AgentHooks) -> Guarded {
        Guarded(runner: ToolRunner(tools: CodingTools.all, context: fixture.context()), hooks: hooks)
    }

    private func call(_ name: String, _ json: String) -> ToolCall {
        ToolCall(id: "call-1", name: name, rawArguments: json)
    }

    @Test func unknownToolUsesPiText() async {
        let stages = Mutex<[ToolCallStage]>([])
        let hooks = AgentHooks(
            beforeToolCall: { _ in .policy(Decision(allowed: true, rule: "allowed", reason: "", trace: [])) },
            afterToolCall: { context, result in
                stages.withLock { $0.append(context.stage) }
                return result
            })
        let result = await runner(hooks).run(call("nope", "{}"))
        #expect(result.isError)
        #expect(result.text == "Tool nope not found")
        #expect(stages.withLock { $0 } == [.unknownTool])
    }

    @Test func invalidArgumentsNeverReachThePolicy() async {
        let asked = Mutex(false)
        let hooks = AgentHooks(beforeToolCall: { _ in
            asked.withLock { $0 = true }
            return .policy(Decision(allowed: true, rule: "allowed", reason: "", trace: []))
        })
        let result = await runner(hooks).run(call("write", #"{"path":"a.txt"}"#))
        #expect(result.text == "Invalid arguments for write: missing required field 'content'")
        #expect(asked.withLock { $0 } == false)
    }

    @Test func policySeesTheResolvedRequestAndDenialIsAnError() async {
        let seen = Mutex<[ToolRequest]>([])
        let gate = pathGate(fixture.policy.paths)
        let hooks = AgentHooks(beforeToolCall: { context in
            seen.withLock { $0.append(context.request) }
            return await gate(context)
        })
        let result = await runner(hooks).run(call("write", #"{"path":"../outside.txt","content":"x"}"#))
        let parent = (fixture.root as NSString).deletingLastPathComponent
        #expect(seen.withLock { $0 } == [.file(tool: .write, path: parent + "/outside.txt")])
        #expect(result.isError)
        #expect(result.text.hasPrefix("Denied by policy (rule path.outside_roots): '\(parent)/outside.txt' is outside"))
        #expect(!FileManager.default.fileExists(atPath: parent + "/outside.txt"))
    }

    @Test func allowedCallsExecuteAndAfterHookShapesTheResult() async {
        let hooks = AgentHooks(
            beforeToolCall: pathGate(fixture.policy.paths),
            afterToolCall: { _, result in
                var result = result
                result.content = [.text(result.text.uppercased())]
                return result
            })
        let result = await runner(hooks).run(call("write", #"{"path":"a.txt","content":"hi"}"#))
        #expect(result.text == "SUCCESSFULLY WROTE 2 BYTES TO A.TXT")
        #expect(fixture.read("a.txt") == "hi")
    }

    @Test func bashRequestsCarryTheCommand() async {
        let seen = Mutex<[ToolRequest]>([])
        let hooks = AgentHooks(beforeToolCall: { context in
            seen.withLock { $0.append(context.request) }
            return .policy(Decision(allowed: false, rule: "allowed_commands", reason: "'rm' is not allowed", trace: []))
        })
        let result = await runner(hooks).run(call("bash", #"{"command":"rm -rf x"}"#))
        #expect(seen.withLock { $0 } == [.bash(command: "rm -rf x", cwd: nil)])
        #expect(result.text == "Denied by policy (rule allowed_commands): 'rm' is not allowed")
    }

    @Test func dryRunIsCheckedButNotExecuted() async {
        fixture.policy.bashDryRun = true
        let result = await runner(AgentHooks()).run(call("bash", #"{"command":"touch made"}"#))
        #expect(!result.isError)
        #expect(result.text.contains("not executed"))
        #expect(fixture.read("made") == nil)
    }

    @Test func definitionsAreStable() {
        let names = runner(AgentHooks()).definitions.map(\.name)
        #expect(names == ["read", "bash", "edit", "write", "grep", "find", "ls"])
        #expect(CodingTools.named(["read", "nope"]).unknown == ["nope"])
    }

    @Test func auditHooksRecordDecisionAndCompletionAndRedact() async throws {
        let logPath = fixture.root + "/.spill/audit.jsonl"
        let log = AuditLog(
            path: logPath, redactor: SecretRedactor(extraSecrets: ["hunter2hunter2"]), durability: .noSync)
        let hooks = ToolAudit.hooks(gate: pathGate(fixture.policy.paths), log: log, session: "s1")
        fixture.write("secret.txt", "token=hunter2hunter2\n")
        let result = await runner(hooks).run(call("read", #"{"path":"secret.txt"}"#))
        #expect(result.text == "token=[REDACTED]\n")
        _ = await runner(hooks).run(call("read", #"{"paht":"x"}"#))
        let lines = try String(contentsOfFile: logPath, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[0].contains(#""event":"decision""#) && lines[0].contains(#""decision":"allow""#))
        #expect(lines[1].contains(#""event":"completion""#) && !lines[1].contains("hunter2"))
        #expect(lines[2].contains(#""rule":"arguments.invalid""#))
    }
}

@Suite("tool runner with the policy engine")
struct StandardRunnerTests {
    let fixture = ToolFixture()

    private func standard() throws -> ToolRunner {
        let context = fixture.context()
        return ToolRunner.standard(
            policy: fixture.policy, files: context.files, shell: context.shell, cwd: fixture.root,
            spillDirectory: fixture.spill)
    }

    private func hooks() throws -> AgentHooks {
        try AgentHooks().guarded(by: fixture.policy)
    }

    @Test func readsInsideTheProject() async throws {
        fixture.write("a.txt", "hello")
        let result = try await standard().run(ToolCall(id: "1", name: "read", rawArguments: #"{"path":"a.txt"}"#), hooks: hooks())
        #expect(result.text == "hello")
    }

    @Test func deniesOutsideTheRoots() async throws {
        let result = try await standard().run(
            ToolCall(id: "1", name: "read", rawArguments: #"{"path":"/etc/hostname"}"#), hooks: hooks())
        #expect(result.isError)
        #expect(result.text.hasPrefix("Denied by policy (rule "))
    }

    @Test func deniesTheDenyList() async throws {
        fixture.write(".env", "KEY=1")
        let result = try await standard().run(ToolCall(id: "1", name: "read", rawArguments: #"{"path":".env"}"#), hooks: hooks())
        #expect(result.text.hasPrefix("Denied by policy (rule path.deny)"))
    }
}

@Suite("tool runner end to end")
struct EndToEndRunnerTests {
    let fixture = ToolFixture()

    @Test func bashThroughEngineAndAudit() async throws {
        let context = fixture.context()
        let logPath = fixture.spill + "/audit.jsonl"
        let runner = ToolRunner.standard(
            policy: fixture.policy, files: context.files, shell: context.shell, cwd: fixture.root,
            spillDirectory: fixture.spill)
        let hooks = try AgentHooks().guarded(by: fixture.policy, audit: (AuditLog(path: logPath, durability: .noSync), "s"))
        let result = await runner.run(ToolCall(id: "1", name: "bash", rawArguments: #"{"command":"echo hi"}"#), hooks: hooks)
        #expect(result.text == "hi\n")
        let log = try String(contentsOfFile: logPath, encoding: .utf8)
        #expect(log.contains(#""exit_code":0"#))
        #expect(log.contains(#""sandbox":"host""#))
    }
}

import Foundation
import PieJSON
import PieLocal
import PiePolicy
import PieSandbox
import Synchronization
import Testing

@testable import PieAgent

/// The loop's `beforeToolCall`/`afterToolCall` are the one hook layer around a tool call: the
/// policy gate and the audit are these hooks, asked by `ToolRunner` in the loop and in `pie tool`.
@Suite("the one tool hook layer")
struct ToolHookLayerTests {
    let fixture = ToolFixture()

    private var runner: ToolRunner {
        let context = fixture.context()
        return ToolRunner.standard(
            policy: fixture.policy, files: context.files, shell: context.shell, cwd: fixture.root,
            spillDirectory: fixture.spill)
    }

    @Test func theLoopsHooksSeeTheTurnTheArgumentsAndTheStage() async {
        let seen = Mutex<[String]>([])
        let hooks = AgentHooks(
            beforeToolCall: { context in
                let calls = context.turn?.assistantMessage.toolCalls.map(\.id) ?? []
                seen.withLock {
                    $0.append("before \(context.call.id) output=\(context.arguments.string("output") ?? "") turn=\(calls)")
                }
                return context.call.id == "c2" ? .block(reason: "not now") : .allow
            },
            afterToolCall: { context, result in
                seen.withLock { $0.append("after \(context.call.id) \(context.stage.rawValue)") }
                return result
            })
        let provider = ScriptedProvider([
            ScriptedProvider.calls([("c1", "read", ["output": "one"]), ("c2", "read", [:]), ("c3", "teleport", [:])]),
            ScriptedProvider.text("done"),
        ])
        let result = await AgentLoop(configuration: LoopFixtures.configuration(provider, hooks: hooks))
            .run(prompts: [.user("go")])

        #expect(result.outcome == .completed)
        let log = seen.withLock { $0 }
        // Gated in source order before anything ran; unknown tools never reach the gate.
        #expect(Array(log.prefix(2)) == [
            #"before c1 output=one turn=["c1", "c2", "c3"]"#, #"before c2 output= turn=["c1", "c2", "c3"]"#,
        ])
        #expect(Set(log.dropFirst(2)) == ["after c1 completed", "after c2 denied", "after c3 unknownTool"])
        #expect(LoopFixtures.toolResults(result.newMessages).map(LoopFixtures.text) == ["one", "not now", "Tool teleport not found"])
    }

    @Test func pieToolAndTheLoopGiveOneCallTheSameAnswer() async throws {
        let hooks = try AgentHooks().guarded(by: fixture.policy)
        fixture.write("a.txt", "hello\n")
        let calls: [(String, String, JSONValue)] = [("c1", "read", ["path": "a.txt"]), ("c2", "read", ["path": "/etc/shadow"])]

        var direct: [ToolResultMessage] = []
        for (id, name, arguments) in calls {
            let call = ToolCall(id: id, name: name, arguments: arguments)
            direct.append(ToolResultMessage(call: call, result: await runner.run(call, hooks: hooks)))
        }
        let provider = ScriptedProvider([ScriptedProvider.calls(calls), ScriptedProvider.text("done")])
        let configuration = AgentConfiguration(
            provider: provider, model: LoopFixtures.model(), tools: runner, hooks: hooks)
        let looped = LoopFixtures.toolResults(await AgentLoop(configuration: configuration).run(prompts: [.user("go")]).newMessages)

        #expect(looped == direct)
        #expect(looped.map(\.isError) == [false, true])
        #expect(LoopFixtures.text(looped[1]).hasPrefix("Denied by policy (rule "))
    }

    @Test func guardedAsksTheCallersGateOnlyAfterThePolicyAndAuditsWhatStands() async throws {
        let logPath = fixture.spill + "/audit.jsonl"
        let asked = Mutex<[String]>([])
        let own = AgentHooks(beforeToolCall: { context in
            asked.withLock { $0.append(context.call.name) }
            return context.call.name == "write" ? .block(reason: "read-only hour") : .allow
        })
        let hooks = try own.guarded(by: fixture.policy, audit: (AuditLog(path: logPath, durability: .noSync), "s"))

        let denied = await runner.run(ToolCall(id: "1", name: "read", rawArguments: #"{"path":"/etc/shadow"}"#), hooks: hooks)
        let blocked = await runner.run(
            ToolCall(id: "2", name: "write", rawArguments: #"{"path":"a.txt","content":"x"}"#), hooks: hooks)

        #expect(denied.text.hasPrefix("Denied by policy (rule "))
        #expect(blocked.isError && blocked.text == "read-only hour")
        #expect(asked.withLock { $0 } == ["write"])
        #expect(fixture.read("a.txt") == nil)
        let records = try String(contentsOfFile: logPath, encoding: .utf8).split(separator: "\n")
        #expect(records.count == 4)
        #expect(records[2].contains(#""decision":"deny""#) && records[2].contains(#""rule":"hook.block""#))
        #expect(records[3].contains(#""event":"completion""#) && records[3].contains(#""reason":"read-only hour""#))
    }

    @Test func aCallCancelledAfterTheGateIsAnsweredAndSeenByTheAfterHook() async {
        let stages = Mutex<[ToolCallStage]>([])
        let hooks = AgentHooks(afterToolCall: { context, result in
            stages.withLock { $0.append(context.stage) }
            return result
        })
        let prepared = await runner.prepare(
            ToolCall(id: "1", name: "write", rawArguments: #"{"path":"a.txt","content":"x"}"#), hooks: hooks)
        #expect(prepared.runs && prepared.mode == .alone)
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return await runner.finish(prepared, hooks: hooks)
        }
        #expect(await task.value.text == "Cancelled before it ran.")
        #expect(stages.withLock { $0 } == [.cancelled])
        #expect(fixture.read("a.txt") == nil)
    }

    @Test func aDecisionRecordThatCannotBeWrittenDeniesTheCall() async throws {
        fixture.write("not-a-directory", "x")
        let log = AuditLog(path: fixture.root + "/not-a-directory/audit.jsonl", durability: .noSync)
        let hooks = try AgentHooks().guarded(by: fixture.policy, audit: (log, "s"))

        let result = await runner.run(
            ToolCall(id: "1", name: "write", rawArguments: #"{"path":"a.txt","content":"x"}"#), hooks: hooks)

        #expect(result.isError)
        #expect(result.text.hasPrefix("Denied by policy (rule audit.write_failed): the audit log could not be written ("))
        #expect(result.text.hasSuffix("; nothing runs unaudited"))
        #expect(fixture.read("a.txt") == nil)
    }

    @Test func aCompletionRecordThatCannotBeWrittenIsNamedInTheDetails() async throws {
        let directory = fixture.root + "/logs"
        let log = AuditLog(path: directory + "/audit.jsonl", durability: .noSync)
        let hooks = try AgentHooks().guarded(by: fixture.policy, audit: (log, "s"))
        let tools = ToolRunner(tools: [LogBreakingTool(directory: directory)], context: fixture.context())

        let result = await tools.run(ToolCall(id: "1", name: "break_log", rawArguments: "{}"), hooks: hooks)

        #expect(!result.isError && result.text == "log directory replaced")
        guard case .string(let problem)? = result.detailsJSON?["auditError"] else {
            Issue.record("no auditError in \(String(describing: result.detailsJSON))")
            return
        }
        #expect(problem.contains(directory))
        #expect(result.detailsJSON?["note"] == .string("kept"))
    }
}

/// Replaces the audit log's directory with a file while it runs, so the decision record is
/// written and the completion record cannot be.
private struct LogBreakingTool: AgentTool {
    let directory: String
    let name = "break_log"
    let description = "replaces the audit log directory with a file"
    let schema = ToolSchema([])

    func policyRequest(_ arguments: ValidatedArguments, context: ToolContext) -> ToolRequest {
        .file(tool: .read, path: context.cwd)
    }

    func execute(_ arguments: ValidatedArguments, context: ToolContext) async throws(ToolFailure) -> ToolResult {
        do {
            try FileManager.default.removeItem(atPath: directory)
        } catch {
            throw ToolFailure("could not remove \(directory): \(error)")
        }
        guard FileManager.default.createFile(atPath: directory, contents: Data("x".utf8)) else {
            throw ToolFailure("could not create \(directory)")
        }
        return .text("log directory replaced", details: .custom(["note": "kept"]))
    }
}

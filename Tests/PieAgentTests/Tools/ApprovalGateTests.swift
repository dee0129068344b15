import Foundation
import PieJSON
import PieLocal
import PiePolicy
import PieSystem
import Synchronization
import Testing

@testable import PieAgent
@testable import PieSandbox

/// A call the policy holds for approval (`ask`) runs only when the approver says yes; the audit
/// log records the ask, who answered, and the completion.
@Suite("approval of held calls")
struct ApprovalGateTests {
    let fixture: ToolFixture

    init() {
        fixture = ToolFixture()
        fixture.policy.ask = AskRules(
            commands: ["echo pushed*"], paths: ["deploy"], home: fixture.root + "/home", projectRoot: fixture.root)
    }

    private var runner: ToolRunner {
        let context = fixture.context()
        return ToolRunner.standard(
            policy: fixture.policy, files: context.files, shell: context.shell, cwd: fixture.root,
            spillDirectory: fixture.spill)
    }

    /// An approver that answers from a script and records what it was asked.
    final class ScriptedApprover: Approver {
        let answer: ApprovalAnswer
        let asked = Mutex<[ApprovalRequest]>([])
        init(_ answer: ApprovalAnswer) { self.answer = answer }
        func approve(_ request: ApprovalRequest) async -> ApprovalAnswer {
            asked.withLock { $0.append(request) }
            return answer
        }
    }

    private func records(_ path: String) throws -> [AuditRecord] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { line in
            try #require(AuditRecord(json: try JSONParser.parseLine(String(line))))
        }
    }

    @Test func anApprovedCallRunsAndTheLogSaysWhoApproved() async throws {
        let logPath = fixture.spill + "/audit.jsonl"
        let approver = ScriptedApprover(ApprovalAnswer(approved: true, source: .user, note: "approved at the terminal"))
        let hooks = try AgentHooks().guarded(
            by: fixture.policy, audit: (AuditLog(path: logPath, durability: .noSync), "s"), approver: approver)

        let result = await runner.run(
            ToolCall(id: "w1", name: "write", rawArguments: #"{"path":"deploy/prod.yaml","content":"x"}"#), hooks: hooks)

        #expect(!result.isError, "\(result.text)")
        #expect(fixture.read("deploy/prod.yaml") == "x")
        let asked = approver.asked.withLock { $0 }
        #expect(asked.count == 1)
        #expect(asked.first?.callID == "w1" && asked.first?.tool == "write" && asked.first?.rule == "ask_paths")
        #expect(asked.first?.arguments == #"{"path":"deploy/prod.yaml","content":"x"}"#)
        let log = try records(logPath)
        #expect(log.map(\.event) == [.decision, .approval, .completion])
        #expect(log.map(\.decision) == [.ask, .allow, .allow])
        #expect(log.map(\.rule) == ["ask_paths", "ask_paths", "ask_paths"])
        #expect(log[1].approver == .user && log[1].reason == "approved at the terminal")
        #expect(try AuditVerifier.verify(path: logPath).isIntact)
    }

    @Test func aRefusedCallDoesNotRunAndTheModelIsToldWhy() async throws {
        let logPath = fixture.spill + "/audit.jsonl"
        let approver = ScriptedApprover(ApprovalAnswer(approved: false, source: .command, note: "denied by alice"))
        let hooks = try AgentHooks().guarded(
            by: fixture.policy, audit: (AuditLog(path: logPath, durability: .noSync), "s"), approver: approver)

        let result = await runner.run(
            ToolCall(id: "b1", name: "bash", rawArguments: #"{"command":"echo pushed > out.txt"}"#), hooks: hooks)

        #expect(result.isError)
        #expect(result.text.hasPrefix("Denied by policy (rule ask_commands): 'echo pushed' matches the ask_commands pattern"))
        #expect(result.text.hasSuffix("; not approved: denied by alice"))
        #expect(fixture.read("out.txt") == nil)
        let log = try records(logPath)
        #expect(log.map(\.event) == [.decision, .approval, .completion])
        #expect(log.map(\.decision) == [.ask, .deny, .deny])
        #expect(log[1].approver == .command)
        #expect(try AuditVerifier.verify(path: logPath).isIntact)
    }

    @Test func nobodyToAskDeniesWithTheRuleAndHowToAllowIt() async throws {
        let hooks = try AgentHooks().guarded(by: fixture.policy, approver: NobodyApprover(mode: "pie -p"))
        let result = await runner.run(
            ToolCall(id: "w1", name: "write", rawArguments: #"{"path":"deploy/a","content":"x"}"#), hooks: hooks)
        #expect(result.isError)
        #expect(result.text.contains("(rule ask_paths)"))
        #expect(result.text.contains("pie -p has nobody to ask, so the call is denied; run pie interactively to be asked, or change the policy's ask_paths"))
        #expect(fixture.read("deploy/a") == nil)
    }

    @Test func denialsAndAllowedCallsNeverReachTheApprover() async throws {
        let approver = ScriptedApprover(ApprovalAnswer(approved: true, source: .user, note: "yes"))
        let hooks = try AgentHooks().guarded(by: fixture.policy, approver: approver)
        let denied = await runner.run(
            ToolCall(id: "1", name: "bash", rawArguments: #"{"command":"echo pushed > /etc/x"}"#), hooks: hooks)
        let allowed = await runner.run(
            ToolCall(id: "2", name: "write", rawArguments: #"{"path":"notes.txt","content":"x"}"#), hooks: hooks)
        #expect(denied.isError && !denied.text.contains("ask_"))
        #expect(!allowed.isError)
        #expect(approver.asked.withLock { $0 }.isEmpty)
    }

    @Test func theCallersOwnGateBlocksBeforeAnyoneIsAsked() async throws {
        let approver = ScriptedApprover(ApprovalAnswer(approved: true, source: .user, note: "yes"))
        let own = AgentHooks(beforeToolCall: { _ in .block(reason: "frozen") })
        let hooks = try own.guarded(by: fixture.policy, approver: approver)
        let result = await runner.run(
            ToolCall(id: "1", name: "write", rawArguments: #"{"path":"deploy/a","content":"x"}"#), hooks: hooks)
        #expect(result.text == "frozen")
        #expect(approver.asked.withLock { $0 }.isEmpty)
    }

    @Test("only y or yes approves at the prompt", arguments: [
        ("y", true), ("yes", true), (" YES \n", true), ("", false), ("n", false), ("yep", false), ("sure", false),
    ])
    func promptAnswers(line: String, approved: Bool) async {
        let shown = Mutex<[String]>([])
        let approver = PromptApprover { question in
            shown.withLock { $0.append(question) }
            return line
        }
        let request = ApprovalRequest(
            callID: "c", tool: "bash", arguments: #"{"command":"git push"}"#, rule: "ask_commands", reason: "why")
        let answer = await approver.approve(request)
        #expect(answer.approved == approved)
        #expect(answer.source == .user)
        #expect(shown.withLock { $0 } == ["pie: the policy asks before this call (ask_commands): why\n  bash {\"command\":\"git push\"}\nRun it? [y/N] "])
    }

    @Test func endOfInputAtThePromptIsANo() async {
        let approver = PromptApprover { _ in nil }
        let answer = await approver.approve(
            ApprovalRequest(callID: "c", tool: "bash", arguments: "{}", rule: "ask_commands", reason: "why"))
        #expect(!answer.approved)
        #expect(answer.note == "no answer at the terminal (end of input)")
    }

    @Test func aYesAfterTheTurnWasCancelledIsANo() async {
        let approver = PromptApprover { _ in
            withUnsafeCurrentTask { $0?.cancel() }
            return "y"
        }
        let answer = await Task {
            await approver.approve(
                ApprovalRequest(callID: "c", tool: "bash", arguments: "{}", rule: "ask_commands", reason: "why"))
        }.value
        #expect(!answer.approved)
        #expect(answer.note == "the turn was cancelled while the question was shown")
    }

    @Test func theQuestionIsRedactedAsTheLogIs() async throws {
        let secret = "s3cr3t-deploy-token-value"
        let log = AuditLog(
            path: fixture.spill + "/audit.jsonl", redactor: SecretRedactor(extraSecrets: [secret]), durability: .noSync)
        let approver = ScriptedApprover(ApprovalAnswer(approved: false, source: .user, note: "no"))
        let hooks = try AgentHooks().guarded(by: fixture.policy, audit: (log, "s"), approver: approver)
        _ = await runner.run(
            ToolCall(id: "w1", name: "write", rawArguments: #"{"path":"deploy/env","content":"TOKEN=\#(secret)"}"#),
            hooks: hooks)
        let asked = try #require(approver.asked.withLock { $0 }.first)
        #expect(!asked.arguments.contains(secret))
        #expect(asked.arguments.contains("[REDACTED]"))
    }
}

import Foundation
import PieAgent
@testable import PieHooks
import PieJSON
import PieLocal
import PieSandbox
import PieSystem
import Testing

@Suite("Hook payloads: c4pt0r/pie's fields, capped and redacted")
struct HookPayloadTests {
    @Test func theCommonFieldsComeFirstAndTextLast() {
        let payload = HookPayload(event: .agentStart, session: testSession)
        let json = payload.json(redactor: SecretRedactor())
        #expect(
            json.objectValue?.keys == [
                "event", "session_id", "cwd", "model_provider", "model_id", "thinking_level", "text",
            ])
        #expect(json["text"]?.stringValue == "pie agent_start · /project")
    }

    @Test func aSubAgentsPayloadNamesItsParentInFieldsVariablesAndText() {
        var payload = HookPayload(event: .toolEnd, session: testSession)
        payload.setParent(HookParent(sessionID: "parent-session", toolCallID: "call_t"))
        payload.setTool(callID: "call_r", name: "read", arguments: .object(JSONObject([("path", .string("a"))])))
        let json = payload.json(redactor: SecretRedactor())
        #expect(json["parent_session_id"]?.stringValue == "parent-session")
        #expect(json["parent_tool_call_id"]?.stringValue == "call_t")
        #expect(json["text"]?.stringValue == "pie tool_end · sub-agent of call call_t · read · /project")
        let variables = payload.environment(redactor: SecretRedactor())
        #expect(variables.contains { $0.name == "PIE_PARENT_SESSION_ID" && $0.value == "parent-session" })
        #expect(variables.contains { $0.name == "PIE_PARENT_TOOL_CALL_ID" && $0.value == "call_t" })
        // A parent's own payload has neither.
        let own = HookPayload(event: .toolEnd, session: testSession)
        #expect(own["parent_tool_call_id"] == nil && own["parent_session_id"] == nil)
        #expect(!own.environment(redactor: SecretRedactor()).contains { $0.name.hasPrefix("PIE_PARENT_") })
    }

    @Test func largeArgumentsAndSummariesAreCapped() {
        var payload = HookPayload(event: .toolEnd, session: testSession)
        let content = String(repeating: "x", count: 40_000)
        payload.setTool(callID: "c", name: "write", arguments: .object(JSONObject([("content", .string(content))])))
        payload.setResult(isError: false, text: String(repeating: "y", count: 2500))
        let json = payload.json(redactor: SecretRedactor())
        #expect(json["tool_args_truncated"]?.boolValue == true)
        #expect(json["tool_args"]?.stringValue?.utf8.count == HookPayload.argumentsLimit)
        let summary = try? #require(json["tool_result_summary"]?.stringValue)
        #expect(summary?.hasPrefix(String(repeating: "y", count: 2000) + "…[500 more characters]") == true)
        // Small arguments stay structured.
        payload.setTool(callID: "c", name: "write", arguments: .object(JSONObject([("path", .string("a"))])))
        #expect(payload["tool_args"]?["path"]?.stringValue == "a" && payload["tool_args_truncated"] == nil)
    }

    @Test func secretsAreRedactedInEveryStringAndVariable() {
        let redactor = SecretRedactor(environment: ["GITHUB_TOKEN": "ghp_abcdefghijkl"])
        var payload = HookPayload(event: .toolEnd, session: testSession)
        payload.setTool(
            callID: "c", name: "bash",
            arguments: .object(JSONObject([("command", .array([.string("echo ghp_abcdefghijkl")]))])))
        payload.setResult(isError: true, text: "token ghp_abcdefghijkl")
        let text = JSONWriter.string(payload.json(redactor: redactor))
        #expect(!text.contains("ghp_abcdefghijkl") && text.contains("[REDACTED]"))
        let variables = payload.environment(redactor: redactor)
        #expect(variables.contains { $0.name == "PIE_TOOL_IS_ERROR" && $0.value == "true" })
        #expect(!variables.contains { $0.value.contains("ghp_abcdefghijkl") })
    }

    @Test func compactionAndTurnsReachObservingHooks() async throws {
        let scratch = try HookScratch()
        let hooks = try HookFileParser.parse(
            Array(
                """
                [[hook]]
                event = "compaction"
                command = "cp \\"$PIE_HOOK_PAYLOAD\\" compaction.json"
                [[hook]]
                event = "turn_start"
                command = "echo $PIE_HOOK_EVENT >> turns.txt"
                """.utf8), path: "/test/hooks.toml", scope: .user)
        let lifecycle = LifecycleHooks(hooks: hooks, runner: try scratch.runner(), session: testSession, onWarning: { _ in })
        lifecycle.observe(.turnStart(turn: 1))
        lifecycle.observe(.compactionStart(reason: .contextOverflow))
        // Nothing was compacted: no compaction hook.
        lifecycle.observe(.compactionEnd(reason: .beforeRequest, summary: nil))
        lifecycle.observe(
            .compactionEnd(
                reason: .contextOverflow, summary: CompactionSummary(summary: "## Goal\nship it", firstKeptIndex: 3, tokensBefore: 9000)))
        await lifecycle.drain()

        #expect(scratch.read("turns.txt") == "turn_start\n")
        let payload = try JSONParser.parse(Array(try #require(scratch.read("compaction.json")).utf8))
        #expect(payload["event"]?.stringValue == "compaction")
        #expect(payload["compaction_reason"]?.stringValue == "contextOverflow")
        #expect(payload["compaction_tokens_before"]?.intValue == 9000)
        #expect(payload["compaction_summary"]?.stringValue == "## Goal\nship it")
        #expect(try scratch.hookRecords().count == 2)
    }

    @Test func aHookWithCommandAndWebhookPostsOnlyAfterTheCommandSucceeded() async throws {
        let scratch = try HookScratch()
        let both = try hook("event = \"agent_end\"\ncommand = \"exit 1\"\nwebhook = \"http://127.0.0.1:9/never\"")
        let result = try await scratch.runner().run(both, payload: HookPayload(event: .agentEnd, session: testSession))
        #expect(result.outcome == .failed && result.exitCode == 1 && result.httpStatus == nil)
        let records = try scratch.hookRecords()
        #expect(records.count == 1 && records[0]["hook"]?["webhook_host"] == nil)
    }
}

@Suite("${NAME} in webhooks")
struct HookExpansionTests {
    @Test func variablesAreReplacedAndOnlyTheBraceFormIsSpecial() throws {
        let environment = ["A": "one", "B": "two"]
        #expect(try HookExpansion.expand("x${A}y${B}", environment: environment) == "xoneytwo")
        #expect(try HookExpansion.expand("cost $A and $", environment: environment) == "cost $A and $")
        #expect(throws: HookExpansionError.unset(name: "C")) { try HookExpansion.expand("${C}", environment: environment) }
        #expect(throws: HookExpansionError.unset(name: "E")) { try HookExpansion.expand("${E}", environment: ["E": ""]) }
        #expect(throws: HookExpansionError.unclosed(text: "${A")) { try HookExpansion.expand("x${A", environment: environment) }
        #expect(WebhookHost.of("https://user:pw@hooks.slack.com:443/services/T/B/X?y#z") == "hooks.slack.com:443")
    }
}

@Suite("pie hooks test's sample payload")
struct HookSampleTests {
    @Test func samplesFitTheEventAndOverridesWinExceptTheEvent() {
        let base = HookPayload(event: .approvalNeeded, session: testSession)
        let sample = HookSample.payload(
            .approvalNeeded, base: base, tool: "write",
            overrides: JSONObject([("event", .string("agent_end")), ("run_id", .integer(42)), ("extra", .bool(true))]))
        #expect(sample["event"]?.stringValue == "approval_needed")
        #expect(sample.toolName == "write" && sample["tool_args"]?["command"]?.stringValue == "echo hello")
        #expect(sample["automation_id"]?.stringValue == "test-automation" && sample["run_id"]?.intValue == 42)
        #expect(sample["extra"]?.boolValue == true)
        let end = HookSample.payload(.automationEnd, base: HookPayload(event: .automationEnd, session: testSession), tool: "bash", overrides: JSONObject())
        #expect(end["run_state"]?.stringValue == "succeeded" && end.toolName == nil)
    }
}

import Foundation
import PieHooks
import PieJSON
import PieSandbox
import PieTestSupport
import Testing

/// Webhook hooks over libcurl to a real loopback server that records what arrives.
@Suite("Webhook hooks POST the redacted payload with their headers")
struct WebhookHookTests {
    @Test func headersAndPayloadArriveWithSecretsRedactedAndOnlyTheHostIsLogged() async throws {
        let scratch = try HookScratch()
        let server = try ScriptedServer(responses: [HTTPResponses.json(#"{"ok":true}"#)])
        defer { server.stop() }
        scratch.extraEnvironment = [
            "HOOK_TOKEN": "tok-abc-123456", "SLACK_PATH": "T000/B000/pathsecret99", "MY_API_KEY": "sk-live-value-4242",
        ]
        let webhook = try hook(
            """
            event = "tool_end"
            webhook = "http://127.0.0.1:\(server.port)/services/${SLACK_PATH}"
            headers = { Authorization = "Bearer ${HOOK_TOKEN}", X-Source = "pie" }
            """)
        var payload = HookPayload(event: .toolEnd, session: testSession)
        payload.setTool(callID: "call_1", name: "bash", arguments: .object(JSONObject([("command", .string("echo sk-live-value-4242"))])))
        payload.setResult(isError: true, text: "printed sk-live-value-4242")

        let result = try await scratch.runner().run(webhook, payload: payload)

        #expect(result.outcome == .ok && result.httpStatus == 200, "\(result.summary)")
        let request = try #require(server.requests.first)
        #expect(request.method == "POST" && request.path == "/services/T000/B000/pathsecret99")
        let headers = Dictionary(uniqueKeysWithValues: request.headers.map { ($0.key.lowercased(), $0.value) })
        #expect(headers["authorization"] == "Bearer tok-abc-123456")
        #expect(headers["x-source"] == "pie" && headers["content-type"] == "application/json")
        let body = try #require(request.json)
        #expect(body["event"]?.stringValue == "tool_end" && body["tool_name"]?.stringValue == "bash")
        #expect(body["tool_is_error"]?.boolValue == true && body["session_id"]?.stringValue == "session-1")
        #expect(body["text"]?.stringValue?.hasPrefix("pie tool_end · bash (error)") == true)
        #expect(!request.bodyText.contains("sk-live-value-4242"))
        #expect(body["tool_args"]?["command"]?.stringValue == "echo [REDACTED]")
        #expect(body["tool_result_summary"]?.stringValue == "printed [REDACTED]")

        let record = try #require(try scratch.hookRecords().first)
        #expect(record["hook"]?["webhook_host"]?.stringValue == "127.0.0.1:\(server.port)")
        #expect(record["hook"]?["http_status"]?.intValue == 200)
        let log = try #require(scratch.read(scratch.auditLog))
        #expect(!log.contains("pathsecret99") && !log.contains("tok-abc-123456") && !log.contains("sk-live-value-4242"))
    }

    @Test func aNon2xxAnswerIsAFailure() async throws {
        let scratch = try HookScratch()
        let server = try ScriptedServer(responses: [HTTPResponses.json(#"{"error":"no"}"#, status: "500 Internal Server Error")])
        defer { server.stop() }
        let webhook = try hook("event = \"agent_end\"\nwebhook = \"http://127.0.0.1:\(server.port)/x\"")
        let result = try await scratch.runner().run(webhook, payload: HookPayload(event: .agentEnd, session: testSession))
        #expect(result.outcome == .failed && result.httpStatus == 500)
        #expect(result.message.contains("answered HTTP 500"))
    }

    @Test func anUnsetVariableFailsTheRunWithoutSendingAnything() async throws {
        let scratch = try HookScratch()
        let server = try ScriptedServer(responses: [HTTPResponses.json("{}")])
        defer { server.stop() }
        let webhook = try hook(
            "event = \"agent_end\"\nwebhook = \"http://127.0.0.1:\(server.port)/x\"\nheaders = { Authorization = \"Bearer ${MISSING_TOKEN}\" }")
        let result = try await scratch.runner().run(webhook, payload: HookPayload(event: .agentEnd, session: testSession))
        #expect(result.outcome == .failed && result.message.contains("MISSING_TOKEN is not set"))
        #expect(server.requests.isEmpty)
    }

    @Test func anUnreachableWebhookNamesOnlyItsHost() async throws {
        let scratch = try HookScratch()
        // A port nothing listens on: bound, then closed.
        let server = try ScriptedServer(responses: [])
        let port = server.port
        server.stop()
        let webhook = try hook("event = \"agent_end\"\nwebhook = \"http://127.0.0.1:\(port)/services/secretpath77\"\ntimeout_ms = 2000")
        let result = try await scratch.runner().run(webhook, payload: HookPayload(event: .agentEnd, session: testSession))
        #expect(result.outcome == .failed || result.outcome == .timedOut)
        #expect(result.message.contains("127.0.0.1:\(port)") && !result.message.contains("secretpath77"), "\(result.message)")
    }
}

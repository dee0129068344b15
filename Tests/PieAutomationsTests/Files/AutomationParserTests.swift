import PiePolicy
import Testing
@testable import PieAutomations

@Suite("automation files: fields and defaults")
struct AutomationParserTests {
    @Test("a complete file gives every field; a minimal one gets the documented defaults")
    func fields() throws {
        let text = """
            # nightly tests
            prompt = "Run the tests."
            model = "ds4:deepseek-v4-flash"
            fallback_models = ["openai:gpt-5-mini"]
            tool_policy_preset = "strict"
            enabled = false
            [trigger]
            cron = "30 2 * * 1-5"
            timezone = "Europe/Berlin"
            [run]
            overlap = "queue"
            catch_up = "all"
            max_turns = 12
            timeout = "1h30m"
            max_cost = 0.5
            max_tokens = 200000
            retries = 2
            backoff = "45s"
            session = "continue"
            approval_timeout = "2h"

            """
        let result = FileSupport.parse(text)
        #expect(result.issues.isEmpty)
        let automation = try #require(result.automation)
        #expect(automation.prompt == "Run the tests.")
        #expect(automation.model == ModelReference("ds4:deepseek-v4-flash"))
        #expect(automation.fallbackModels == [ModelReference("openai:gpt-5-mini")!])
        #expect(automation.toolPolicyPreset == .strict)
        #expect(automation.enabled == false)
        #expect(automation.trigger == .cron(expression: "30 2 * * 1-5", timezone: "Europe/Berlin"))
        let run = automation.run
        #expect(run.overlap == .queue && run.catchUp == .all && run.maxTurns == 12)
        #expect(run.timeout.seconds == 5_400 && run.maxCost == 0.5 && run.maxTokens == 200_000)
        #expect(run.retries == 2 && run.backoff.seconds == 45 && run.session == .continue)
        #expect(run.approvalTimeout.seconds == 7_200)

        let minimal = try #require(FileSupport.parse(FileSupport.file()).automation)
        #expect(minimal.toolPolicyPreset == .hardened)
        #expect(minimal.enabled)
        #expect(minimal.run == RunSettings())
        #expect(minimal.run.approvalTimeout.seconds == 3_600 && minimal.run.overlap == .skip && minimal.run.catchUp == .latest)
    }

    @Test("each trigger kind parses; paths resolve against home and the project")
    func triggers() throws {
        let cases: [(String, AutomationTrigger)] = [
            ("every = \"15m\"", .every(AutomationDuration(seconds: 900))),
            ("file = { path = \"~/build.done\", on = \"created\" }", .file(path: "/home/user/build.done", on: .created)),
            ("file = { path = \"out/ready\", on = \"deleted\" }", .file(path: "/work/project/out/ready", on: .deleted)),
            (
                "command = { run = \"test -f build.done\", every = \"1m\" }",
                .command(run: "test -f build.done", every: AutomationDuration(seconds: 60), fire: .success)
            ),
            (
                "command = { run = \"make check\", every = \"5m\", fire = \"change\" }",
                .command(run: "make check", every: AutomationDuration(seconds: 300), fire: .change)
            ),
            (
                "webhook = { path = \"/hooks/deploy\", secret_env = \"DEPLOY_SECRET\", signature = \"github-sha256\", debounce = \"60s\" }",
                .webhook(.init(path: "/hooks/deploy", secretEnv: "DEPLOY_SECRET", signature: .githubSHA256, debounce: AutomationDuration(seconds: 60)))
            ),
            ("at = \"2099-01-01T00:00:00Z\"", .at(Instant(secondsSinceEpoch: 4_070_908_800), text: "2099-01-01T00:00:00Z")),
            ("at = 2099-01-01T00:00:00Z", .at(Instant(secondsSinceEpoch: 4_070_908_800), text: "2099-01-01T00:00:00Z")),
        ]
        for (body, expected) in cases {
            let result = FileSupport.parse(
                FileSupport.file(trigger: body), context: FileSupport.context(environment: ["DEPLOY_SECRET": "s3cret"]))
            #expect(result.issues.isEmpty, "\(body): \(result.issues)")
            #expect(result.automation?.trigger == expected, "\(body)")
        }
    }

    @Test("an MCP trigger names a server and a notification, and a uri only for resource updates")
    func mcp() throws {
        let result = FileSupport.parse(FileSupport.file(trigger: "mcp = { server = \"ci\", method = \"notifications/resources/updated\" }"))
        #expect(result.automation?.trigger == .mcp(server: "ci", method: "notifications/resources/updated"))
        #expect(result.issues.isEmpty, "\(result.issues)")
        let subscribed = FileSupport.parse(FileSupport.file(
            trigger: "mcp = { server = \"gh\", method = \"notifications/resources/updated\", uri = \"repo://a/issues\" }"))
        #expect(subscribed.automation?.trigger == .mcp(server: "gh", method: "notifications/resources/updated", uri: "repo://a/issues"))
        let bad: [(String, String)] = [
            ("mcp = { server = \"ci\", method = \"tools/call\" }", "is not a notification method"),
            ("mcp = { server = \"ci\", method = \"notifications/tools/list_changed\", uri = \"x://y\" }", "uri goes with"),
            ("mcp = { server = \"ci\", method = \"notifications/x\", url = \"x\" }", "unknown key 'url'"),
        ]
        for (body, message) in bad {
            let refused = FileSupport.parse(FileSupport.file(trigger: body))
            #expect(refused.automation == nil, "\(body)")
            #expect(refused.issues.contains { $0.severity == .error && $0.message.contains(message) }, "\(body): \(refused.issues)")
        }
    }

    @Test("durations: whole numbers with d, h, m, s, largest first")
    func durations() {
        let good: [(String, Int64)] = [("45s", 45), ("15m", 900), ("1h30m", 5_400), ("2d", 172_800), ("1d2h3m4s", 93_784)]
        for (text, seconds) in good {
            #expect(AutomationDuration(parsing: text)?.seconds == seconds, "\(text)")
            #expect(AutomationDuration(parsing: text)?.description == text, "\(text)")
        }
        for text in ["", "15", "m", "1.5h", "30m1h", "1h1h", "0s", "15 m", "-5m", "400d", "1H", "１m"] {
            #expect(AutomationDuration(parsing: text) == nil, "\(text)")
        }
    }

    @Test("ids are safe file names")
    func ids() {
        for good in ["nightly", "deploy-summary", "a_1", "A", String(repeating: "x", count: 64)] {
            #expect(AutomationID(good) != nil, "\(good)")
        }
        for bad in ["", "-x", "_x", "a b", "a/b", "..", ".hidden", "x.y", "é", String(repeating: "x", count: 65)] {
            #expect(AutomationID(bad) == nil, "\(bad)")
        }
    }
}

import PieHooks
import Testing

@Suite("hooks.toml is read strictly: every mistake names file, line, field and fix")
struct HookFileParserTests {
    static func parse(_ text: String, scope: HookScope = .user) throws(HookFileError) -> [Hook] {
        try HookFileParser.parse(Array(text.utf8), path: "/p/hooks.toml", scope: scope)
    }

    static func issues(_ text: String) -> [HookIssue] {
        do {
            let hooks = try parse(text)
            Issue.record("expected errors, got \(hooks.count) hooks")
            return []
        } catch {
            return error.issues
        }
    }

    @Test func everyKeyIsReadAndDefaultsApply() throws {
        let hooks = try Self.parse(
            """
            # notify on every finished run
            [[hook]]
            event = "agent_end"
            command = "notify-send done"

            [[hook]]
            event = "tool_end"
            webhook = "https://hooks.slack.com/services/${SLACK_PATH}"
            headers = { Authorization = "Bearer ${TOKEN}", X-Source = "pie" }
            timeout_ms = 1500
            enabled = false
            tool = "mcp__gh__*"
            on_failure = "ignore"
            cwd = "home"

            [[hook]]
            event = "pre_tool"
            command = "exit 0"
            """)
        #expect(hooks.count == 3)
        let first = hooks[0]
        #expect(first.event == .agentEnd && first.command == "notify-send done" && first.webhook == nil)
        #expect(first.timeoutMs == 5000 && first.enabled && first.onFailure == .warn && first.directory == .project)
        #expect(first.origin == HookOrigin(file: "/p/hooks.toml", index: 1, line: 2, scope: .user))
        let second = hooks[1]
        #expect(second.webhook == "https://hooks.slack.com/services/${SLACK_PATH}")
        #expect(Set(second.headers.map(\.name)) == ["Authorization", "X-Source"])
        #expect(second.timeoutMs == 1500 && !second.enabled && second.tool == "mcp__gh__*")
        #expect(second.onFailure == .ignore && second.directory == .home && second.origin.line == 6)
        // A blocking gate fails closed unless the file says otherwise.
        #expect(hooks[2].onFailure == .deny && hooks[2].origin.index == 3)
    }

    @Test func oneBadHookRefusesTheWholeFileWithEveryProblemOnItsLine() {
        let issues = Self.issues(
            """
            [[hook]]
            event = "agent_start"
            command = "true"

            [[hook]]
            event = "agent_stop"
            command = "true"
            timout_ms = 10

            [[hook]]
            event = "turn_end"
            timeout_ms = "5s"

            [[hook]]
            event = "pre_tool"
            command = "true"
            """)
        // Nothing is dropped silently: no hook of the file is returned at all.
        let described = issues.map(\.description)
        #expect(issues.count == 4, "\(described)")
        #expect(
            issues.contains {
                $0.line == 6 && $0.field == "hook[2].event" && $0.message.contains("unknown event 'agent_stop'")
                    && $0.fix.contains("agent_start")
            })
        #expect(
            issues.contains {
                $0.line == 8 && $0.field == "hook[2].timout_ms" && $0.message.contains("did you mean 'timeout_ms'?")
            })
        #expect(issues.contains { $0.line == 12 && $0.field == "hook[3].timeout_ms" && $0.message.contains("\"5s\"") })
        #expect(
            issues.contains {
                $0.line == 10 && $0.field == "hook[3]" && $0.message == "has neither command nor webhook"
            })
        #expect(described.allSatisfy { $0.hasPrefix("/p/hooks.toml:") })
    }

    @Test func aNulByteIsRefusedWithItsLine() {
        let issues = Self.issues("[[hook]]\nevent = \"pre_tool\"\ncommand = \"exit 2\"\n# \u{0}\n[[hook]]\n")
        #expect(issues.count == 1 && issues.first?.line == 4 && issues.first?.message.contains("NUL") == true)
    }

    @Test func syntaxErrorsCarryTheirLine() {
        let issues = Self.issues("[[hook]]\nevent = \"agent_end\"\ncommand = \"unclosed\n")
        #expect(issues.first?.line == 3 && issues.first?.message.contains("not valid TOML") == true)
    }

    @Test func allowProjectHooksIsSupersededByTrust() {
        let issues = Self.issues("allow_project_hooks = true\n[[hook]]\nevent = \"agent_end\"\ncommand = \"true\"\n")
        #expect(issues.count == 1)
        #expect(issues.first?.line == 1 && issues.first?.field == "allow_project_hooks")
        #expect(issues.first?.fix.contains("pie hooks trust") == true)
    }

    @Test func valuesThatCannotWorkAreRefused() {
        let cases: [(String, String, String)] = [
            ("event = \"agent_end\"\ncommand = \"x\"\non_failure = \"deny\"", "hook[1].on_failure", "cannot"),
            ("event = \"agent_end\"\ncommand = \"x\"\ntool = \"bash\"", "hook[1].tool", "concerns no single call"),
            ("event = \"agent_end\"\ncommand = \"x\"\ncwd = \"pie\"", "hook[1].cwd", "hidden"),
            ("event = \"agent_end\"\ncommand = \"x\"\nheaders = { A = \"b\" }", "hook[1].headers", "only sent with a webhook"),
            ("event = \"agent_end\"\nwebhook = \"ftp://x\"", "hook[1].webhook", "not an http"),
            ("event = \"agent_end\"\ncommand = \"\"", "hook[1].command", "is empty"),
            ("event = \"agent_end\"\ncommand = \"x\"\ntimeout_ms = 0", "hook[1].timeout_ms", "out of range"),
            ("event = \"agent_end\"\ncommand = \"x\"\nenabled = \"yes\"", "hook[1].enabled", "true or false"),
            ("command = \"x\"", "hook[1].event", "missing"),
            ("event = 3\ncommand = \"x\"", "hook[1].event", "integer 3"),
        ]
        for (body, field, message) in cases {
            let issues = Self.issues("[[hook]]\n" + body + "\n")
            #expect(issues.contains { $0.field == field && $0.message.contains(message) }, "\(body): \(issues)")
        }
        let header = Self.issues("[[hook]]\nevent = \"agent_end\"\nwebhook = \"https://x\"\nheaders = { A = \"b\\nInjected: 1\" }\n")
        #expect(header.contains { $0.field == "hook[1].headers" && $0.message.contains("cannot carry") })
        let unknown = Self.issues("mode = \"x\"\n")
        #expect(unknown.first?.field == "mode" && unknown.first?.line == 1)
    }

    @Test func theToolFilterIsAShellGlobOnToolEventsOnly() throws {
        let gate = try hook("event = \"pre_tool\"\ncommand = \"x\"\ntool = \"mcp__gh__*\"")
        #expect(gate.applies(to: .preTool, toolName: "mcp__gh__search_issues"))
        #expect(!gate.applies(to: .preTool, toolName: "bash"))
        #expect(!gate.applies(to: .toolEnd, toolName: "mcp__gh__search_issues"))
        let any = try hook("event = \"tool_end\"\ncommand = \"x\"")
        #expect(any.applies(to: .toolEnd, toolName: "write"))
        let off = try hook("event = \"tool_end\"\ncommand = \"x\"\nenabled = false")
        #expect(!off.applies(to: .toolEnd, toolName: "write"))
    }
}

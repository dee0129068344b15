import Testing
@testable import PieAutomations

/// Every class of bad input names the file, the line and the field, and says what to do.
@Suite("automation files: errors")
struct AutomationErrorTests {
    struct Case: CustomStringConvertible {
        var name: String
        var text: String
        var line: Int?
        var field: String?
        var message: String
        var description: String { name }
    }

    static let header = "prompt = \"p\"\nmodel = \"ds4:flash\"\n"

    static let cases: [Case] = [
        Case(name: "malformed TOML", text: "prompt = \"unclosed\nmodel = 1\n", line: 1, field: "prompt", message: "not valid TOML"),
        Case(
            name: "unknown top-level key", text: header + "promt = \"x\"\n[trigger]\nevery = \"1m\"\n", line: 3, field: "promt",
            message: "unknown key 'promt' (did you mean 'prompt'?)"),
        Case(
            name: "unknown [run] key", text: header + "[trigger]\nevery = \"1m\"\n[run]\nretires = 2\n", line: 6,
            field: "run.retires", message: "did you mean 'retries'?"),
        Case(
            name: "wrong type", text: header + "enabled = \"yes\"\n[trigger]\nevery = \"1m\"\n", line: 3, field: "enabled",
            message: "expected true or false, got the string \"yes\""),
        Case(
            name: "missing prompt", text: "model = \"ds4:flash\"\n[trigger]\nevery = \"1m\"\n", line: 1, field: "prompt",
            message: "missing"),
        Case(
            name: "bad model", text: "prompt = \"p\"\nmodel = \"flash\"\n[trigger]\nevery = \"1m\"\n", line: 2, field: "model",
            message: "'flash' is not provider:model"),
        Case(
            name: "unknown preset", text: header + "tool_policy_preset = \"lenient\"\n[trigger]\nevery = \"1m\"\n", line: 3,
            field: "tool_policy_preset", message: "'lenient' is not a valid value"),
        Case(
            name: "missing policy profile", text: header + "tool_policy_profile = \"/nonexistent/p.toml\"\n[trigger]\nevery = \"1m\"\n",
            line: 3, field: "tool_policy_profile", message: "does not exist"),
        Case(name: "no [trigger]", text: header, line: 1, field: "trigger", message: "missing"),
        Case(name: "empty [trigger]", text: header + "\n[trigger]\n", line: 4, field: "trigger", message: "no trigger"),
        Case(
            name: "two triggers", text: header + "[trigger]\ncron = \"* * * * *\"\nevery = \"1m\"\n", line: 5,
            field: "trigger.every", message: "more than one trigger: cron, every"),
        Case(
            name: "unknown trigger kind", text: header + "[trigger]\ncronn = \"* * * * *\"\n", line: 4, field: "trigger.cronn",
            message: "unknown trigger kind 'cronn' (did you mean 'cron'?)"),
        Case(
            name: "invalid cron", text: header + "[trigger]\ncron = \"* * *\"\n", line: 4, field: "trigger.cron",
            message: "5 fields"),
        Case(
            name: "cron value out of range", text: header + "[trigger]\ncron = \"61 2 * * *\"\n", line: 4, field: "trigger.cron",
            message: "minute: 61"),
        Case(
            name: "unknown zone", text: header + "[trigger]\ncron = \"0 3 * * *\"\ntimezone = \"Europe/Nowhere\"\n", line: 5,
            field: "trigger.timezone", message: "Europe/Nowhere"),
        Case(
            name: "timezone without cron", text: header + "[trigger]\nevery = \"1h\"\ntimezone = \"UTC\"\n", line: 5,
            field: "trigger.timezone", message: "applies only to a cron trigger"),
        Case(
            name: "at in the past", text: header + "[trigger]\nat = \"2001-01-01T00:00:00Z\"\n", line: 4, field: "trigger.at",
            message: "is in the past"),
        Case(
            name: "at not RFC 3339", text: header + "[trigger]\nat = \"tomorrow at nine\"\n", line: 4, field: "trigger.at",
            message: "tomorrow at nine"),
        Case(
            name: "at without an offset", text: header + "[trigger]\nat = 2099-01-01T00:00:00\n", line: 4, field: "trigger.at",
            message: "without an offset"),
        Case(
            name: "bad duration", text: header + "[trigger]\nevery = \"15x\"\n", line: 4, field: "trigger.every",
            message: "'15x' is not a duration"),
        Case(
            name: "bad run duration", text: header + "[trigger]\nevery = \"1m\"\n[run]\ntimeout = \"1.5h\"\n", line: 6,
            field: "run.timeout", message: "'1.5h' is not a duration"),
        Case(
            name: "max_turns out of range", text: header + "[trigger]\nevery = \"1m\"\n[run]\nmax_turns = 0\n", line: 6,
            field: "run.max_turns", message: "0 is out of range"),
        Case(
            name: "bad choice", text: header + "[trigger]\nevery = \"1m\"\n[run]\ncatch_up = \"some\"\n", line: 6,
            field: "run.catch_up", message: "'some' is not a valid value"),
        Case(
            name: "file trigger without on", text: header + "[trigger]\nfile = { path = \"~/x\" }\n", line: 4,
            field: "trigger.file.on", message: "missing"),
        Case(
            name: "file trigger with a bad event", text: header + "[trigger]\nfile = { path = \"~/x\", on = \"touched\" }\n", line: 4,
            field: "trigger.file.on", message: "'touched' is not a valid value"),
        Case(
            name: "a trigger written as a sub-table", text: header + "[trigger.file]\npath = \"~/x\"\non = \"touched\"\n", line: 5,
            field: "trigger.file.on", message: "'touched' is not a valid value"),
        Case(
            name: "unknown key in an inline trigger table",
            text: header + "[trigger]\ncommand = { run = \"true\", every = \"1m\", shell = \"zsh\" }\n", line: 4,
            field: "trigger.command.shell", message: "unknown key 'shell'"),
        Case(
            name: "relative file path in a user automation", text: header + "[trigger]\nfile = { path = \"x\", on = \"created\" }\n",
            line: 4, field: "trigger.file.path", message: "cannot be resolved"),
        Case(
            name: "webhook path", text: header + "[trigger]\nwebhook = { path = \"hooks?x=1\", secret_env = \"S\", signature = \"slack-v0\" }\n",
            line: 4, field: "trigger.webhook.path", message: "not a plain URL path"),
        Case(
            name: "webhook signature", text: header + "[trigger]\nwebhook = { path = \"/h\", secret_env = \"S\", signature = \"md5\" }\n",
            line: 4, field: "trigger.webhook.signature", message: "'md5' is not a valid value"),
    ]

    @Test("each error names the file, the line and the field", arguments: cases)
    func errorClass(_ testCase: Case) throws {
        let scope: AutomationScope = testCase.name.contains("user automation") ? .user : .project
        let result = FileSupport.parse(testCase.text, scope: scope, context: FileSupport.context(environment: ["S": "x"]))
        #expect(result.automation == nil)
        let errors = result.issues.filter { $0.severity == .error }
        let error = try #require(errors.first { $0.message.contains(testCase.message) }, "\(result.issues)")
        #expect(error.file == "/p/nightly.toml")
        #expect(error.line == testCase.line)
        #expect(error.field == testCase.field)
        #expect(!error.fix.isEmpty)
        #expect(error.description.hasPrefix("/p/nightly.toml:\(testCase.line.map(String.init) ?? "")"))
    }

    @Test("every mistake in a file is reported, in line order")
    func allMistakes() {
        let text = "prompt = \"p\"\nmodel = \"flash\"\npromt = 1\n[trigger]\nevery = \"1x\"\n[run]\nretries = 99\n"
        let result = FileSupport.parse(text)
        #expect(result.issues.map(\.line) == [2, 3, 5, 7])
        #expect(result.issues.map(\.field) == ["model", "promt", "trigger.every", "run.retries"])
    }

    @Test("a missing webhook secret is a warning for validate and an error for serve")
    func missingSecret() throws {
        let text = FileSupport.file(
            trigger: "webhook = { path = \"/hooks/deploy\", secret_env = \"DEPLOY_SECRET\", signature = \"github-sha256\" }")
        let inspected = FileSupport.parse(text)
        #expect(inspected.automation != nil)
        let warning = try #require(inspected.issues.first)
        #expect(warning.severity == .warning && warning.field == "trigger.webhook.secret_env" && warning.line == 5)
        #expect(warning.description.contains("warning: trigger.webhook.secret_env: the environment variable DEPLOY_SECRET is not set"))
        let served = FileSupport.parse(text, context: FileSupport.context(purpose: .serve))
        #expect(served.automation == nil)
        #expect(served.issues.first?.severity == .error)
        let withSecret = FileSupport.parse(text, context: FileSupport.context(environment: ["DEPLOY_SECRET": "x"], purpose: .serve))
        #expect(withSecret.automation != nil && withSecret.issues.isEmpty)
    }

    @Test("a permissive automation loads with a warning")
    func permissive() throws {
        let result = FileSupport.parse(FileSupport.file(extra: "tool_policy_preset = \"permissive\""))
        #expect(result.automation != nil)
        let warning = try #require(result.issues.first)
        #expect(warning.severity == .warning && warning.field == "tool_policy_preset" && warning.line == 3)
    }

    @Test("a multi-line prompt that looks like keys does not move the lines of the real keys")
    func multilinePrompt() {
        let text = "prompt = \"\"\"\nevery = \"15x\"\n[run]\n\"\"\"\nmodel = \"ds4:flash\"\n[trigger]\nevery = \"15x\"\n"
        let result = FileSupport.parse(text)
        #expect(result.issues.map(\.line) == [7])
        #expect(result.issues.map(\.field) == ["trigger.every"])
    }

    @Test("a file whose name is not a safe id is refused as a whole")
    func unsafeName() throws {
        let directory = try ScratchDirectory()
        defer { directory.remove() }
        let path = try directory.write("nightly tests.toml", FileSupport.file())
        let result = AutomationLoader.loadFile(path, scope: .project, context: FileSupport.context())
        #expect(result.automation == nil)
        let issue = try #require(result.issues.first)
        #expect(issue.file == path && issue.line == nil && issue.field == nil)
        #expect(issue.message.contains("'nightly tests' is not a valid automation id") && issue.fix.contains("rename the file"))
    }
}

import Foundation
import Testing
@testable import PieAutomations

/// An adversarial pass over the automation file loader (issue 12, point 9): every bad input the
/// issue lists, and what the TOML 1.0 specification makes easy to get wrong (keys and tables
/// defined twice, dotted keys against headers, inline tables, multi-line strings, NUL), each
/// refused with the file, the line, the field and what to do.
@Suite("automation files: bad input review")
struct AutomationInputReviewTests {
    struct Case: CustomStringConvertible, Sendable {
        var name: String
        var text: String
        var line: Int
        var field: String
        var message: String
        var fix: String
        var description: String { name }
    }

    static let header = "prompt = \"p\"\nmodel = \"ds4:flash\"\n"

    static let cases: [Case] = [
        // Point 9 as the issue lists it.
        Case(
            name: "malformed TOML: a string left open", text: "prompt = \"p\nmodel = \"ds4:flash\"\n[trigger]\nevery = \"1m\"\n",
            line: 1, field: "prompt", message: "not valid TOML", fix: "close each string on the line it starts"),
        Case(
            name: "unknown trigger kind", text: header + "[trigger]\nfiles = { path = \"~/x\", on = \"created\" }\n", line: 4,
            field: "trigger.files", message: "unknown trigger kind 'files' (did you mean 'file'?)", fix: "use one of: cron, at"),
        Case(
            name: "two triggers", text: header + "[trigger]\nevery = \"1m\"\nfile = { path = \"~/x\", on = \"created\" }\n", line: 5,
            field: "trigger.file", message: "more than one trigger: every, file", fix: "keep exactly one"),
        Case(
            name: "invalid cron", text: header + "[trigger]\ncron = \"0 25 * * *\"\n", line: 4, field: "trigger.cron",
            message: "25", fix: "correct the expression"),
        Case(
            name: "a zone that does not exist", text: header + "[trigger]\ncron = \"0 3 * * *\"\ntimezone = \"Mars/Olympus\"\n",
            line: 5, field: "trigger.timezone", message: "Mars/Olympus", fix: "use an IANA name"),
        Case(
            name: "an at in the past", text: header + "[trigger]\nat = 2020-01-01T00:00:00Z\n", line: 4, field: "trigger.at",
            message: "is in the past", fix: "set a future time"),
        // Keys and tables defined twice (toml.io v1.0.0, "Keys" and "Table").
        Case(
            name: "a key set twice", text: header + "[trigger]\nevery = \"1m\"\n[run]\nretries = 1\nretries = 2\n", line: 7,
            field: "run.retries", message: "cannot redefine existing", fix: "(first on line 6); a key may appear only once"),
        Case(
            name: "a key set twice at the top", text: header + "prompt = \"again\"\n[trigger]\nevery = \"1m\"\n", line: 3,
            field: "prompt", message: "cannot redefine existing", fix: "(first on line 1)"),
        Case(
            name: "a key set twice in an inline table",
            text: header + "[trigger]\nfile = { path = \"~/a\", on = \"created\", path = \"~/b\" }\n", line: 4,
            field: "trigger.file", message: "cannot redefine existing", fix: "'path' is already set"),
        Case(
            name: "a table defined twice", text: header + "[trigger]\nevery = \"1m\"\n[run]\nretries = 1\n[trigger]\ncron = \"* * * * *\"\n",
            line: 7, field: "trigger", message: "cannot redefine existing table 'trigger'", fix: "define each table once"),
        Case(
            name: "dotted keys, then a header for the same table",
            text: header + "[trigger]\nfile.path = \"~/x\"\n[trigger.file]\non = \"created\"\n", line: 5, field: "trigger.file",
            message: "cannot redefine existing table", fix: "a dotted key or an inline table"),
        Case(
            name: "an inline table extended by a header",
            text: header + "[trigger]\nfile = { path = \"~/x\" }\n[trigger.file]\non = \"created\"\n", line: 5, field: "trigger.file",
            message: "cannot redefine existing table", fix: "define each table once"),
        // Inline tables (toml.io v1.0.0, "Inline Table").
        Case(
            name: "a trailing comma in an inline table", text: header + "[trigger]\nfile = { path = \"~/x\", on = \"created\", }\n",
            line: 4, field: "trigger.file", message: "dangling comma", fix: "remove the comma before '}'"),
        Case(
            name: "an inline table over two lines", text: header + "[trigger]\nfile = { path = \"~/x\",\n  on = \"created\" }\n",
            line: 4, field: "trigger.file", message: "not valid TOML", fix: "write the inline table on one line"),
        Case(
            name: "a dotted key where a string belongs", text: header + "[trigger]\nfile = { path.to = \"~/x\", on = \"created\" }\n",
            line: 4, field: "trigger.file.path", message: "expected a string in quotes, got a table", fix: "write a string"),
        // Values.
        Case(
            name: "an integer beyond 64 bits", text: header + "[trigger]\nevery = \"1m\"\n[run]\nmax_turns = 99999999999999999999\n",
            line: 6, field: "run.max_turns", message: "not representable in 64 bits", fix: "use a smaller number"),
        Case(
            name: "a key without a value", text: header + "[trigger]\nevery =\n", line: 4, field: "trigger.every",
            message: "expected value", fix: "write a value after '='"),
        Case(
            name: "a header left open", text: header + "[trigger\nevery = \"1m\"\n", line: 3, field: "trigger",
            message: "table header", fix: "close the header on its line"),
        Case(
            name: "[[trigger]]: an array of tables", text: header + "[[trigger]]\nevery = \"1m\"\n", line: 3, field: "trigger",
            message: "expected a table", fix: "write a table"),
        Case(
            name: "an at given as a local date", text: header + "[trigger]\nat = 2099-01-01\n", line: 4, field: "trigger.at",
            message: "got a TOML date or time", fix: "RFC 3339"),
        Case(
            name: "a zone name that climbs out of the zone directory",
            text: header + "[trigger]\ncron = \"0 3 * * *\"\ntimezone = \"../../../etc/passwd\"\n", line: 5, field: "trigger.timezone",
            message: "cannot contain '..'", fix: "use an IANA name"),
        Case(
            name: "a probe every zero seconds", text: header + "[trigger]\ncommand = { run = \"true\", every = \"0s\" }\n", line: 4,
            field: "trigger.command.every", message: "'0s' is not a duration", fix: "whole numbers with units"),
        Case(
            name: "an empty probe command", text: header + "[trigger]\ncommand = { run = \" \", every = \"1m\" }\n", line: 4,
            field: "trigger.command.run", message: "is empty", fix: "write the probe command"),
        // Quoted keys may hold dots and equals signs (toml.io v1.0.0, "Keys").
        Case(
            name: "a quoted key with a dot", text: header + "\"pro.mpt\" = \"x\"\n[trigger]\nevery = \"1m\"\n", line: 3,
            field: "pro.mpt", message: "unknown key 'pro.mpt'", fix: "valid keys here"),
        Case(
            name: "a quoted key with an equals sign", text: header + "'a=b' = 1\n[trigger]\nevery = \"1m\"\n", line: 3,
            field: "a=b", message: "unknown key 'a=b'", fix: "valid keys here"),
        // A top-level key after a header belongs to that table.
        Case(
            name: "prompt written under [trigger]", text: "model = \"ds4:flash\"\n[trigger]\nevery = \"1m\"\nprompt = \"p\"\n", line: 4,
            field: "trigger.prompt", message: "'prompt' is written after the [trigger] header (line 2)",
            fix: "move it above the first [table] header"),
        Case(
            name: "enabled written under [run]", text: header + "[trigger]\nevery = \"1m\"\n[run]\nretries = 1\nenabled = false\n",
            line: 7, field: "run.enabled", message: "'enabled' is written after the [run] header (line 5)",
            fix: "move it above the first [table] header"),
        // NUL: toml++ reads a C string, so it would silently drop everything after one.
        Case(
            name: "a NUL in a comment", text: header + "# note \u{0}\n[trigger]\nevery = \"1m\"\n[run]\nretries = 99\n", line: 3,
            field: "model", message: "contains a NUL byte", fix: "nothing after it could be read"),
        Case(
            name: "a NUL in a string", text: header + "[trigger]\nevery = \"1m\u{0}\"\n", line: 4, field: "trigger.every",
            message: "contains a NUL byte", fix: "remove it"),
    ]

    @Test("each bad input names the file, the line, the field and what to do", arguments: cases)
    func badInput(_ testCase: Case) throws {
        let result = FileSupport.parse(testCase.text, context: FileSupport.context(environment: ["S": "x"]))
        #expect(result.automation == nil, "the file must not load")
        let errors = result.issues.filter { $0.severity == .error }
        let error = try #require(errors.first { $0.message.contains(testCase.message) }, "\(result.issues)")
        #expect(error.file == "/p/nightly.toml")
        #expect(error.line == testCase.line)
        #expect(error.field == testCase.field)
        #expect(error.fix.contains(testCase.fix), "\(error.fix)")
        #expect(error.description.hasPrefix("/p/nightly.toml:\(testCase.line): \(testCase.field): "))
    }

    @Test("a top-level key under a header is one error where it is written, not also 'missing'")
    func misplacedOnce() {
        let result = FileSupport.parse("model = \"ds4:flash\"\n[trigger]\nevery = \"1m\"\nprompt = \"p\"\n")
        #expect(result.issues.map(\.field) == ["trigger.prompt"])
    }

    @Test("the NUL check keeps a file from loading with settings it never read")
    func nulDoesNotTruncate() {
        let text = Self.header + "[trigger]\nevery = \"1m\"\n# \u{0}\n[run]\nmax_turns = 3\n"
        #expect(FileSupport.parse(text).automation == nil)
        #expect(FileSupport.parse(text.replacingOccurrences(of: "\u{0}", with: "")).automation?.run.maxTurns == 3)
    }

    /// Where a string could be mistaken for the start or end of a multi-line string: the lines of
    /// the keys after it must still be right.
    @Test(
        "quotes that open no multi-line string do not move the lines of later keys",
        arguments: [
            ("prompt = \"p\" # see \"\"\" here\n", 2),
            ("prompt = 'a \"\"\" b'\n", 2),
            ("prompt = \"a \\\"\\\"\\\" b\"\n", 2),
            ("prompt = '''one line'''\n", 2),
            ("prompt = \"\"\"\nescaped \\\"\"\" stays open\nmodel = 1\n\"\"\"\n", 5),
            ("prompt = '''\n[run]\nmodel = 1\n'''\n", 5),
            ("prompt = \"\"\"a\"\"\"\"\n", 2),
        ] as [(String, Int)])
    func multilineStrings(_ prompt: String, _ modelLine: Int) {
        let result = FileSupport.parse(prompt + "model = \"flash\"\n[trigger]\nevery = \"1m\"\n")
        #expect(result.issues.map(\.field) == ["model"], "\(result.issues)")
        #expect(result.issues.first?.line == modelLine)
    }

    @Test("valid TOML spellings load: dotted keys, quoted keys, a top-level inline trigger, CRLF, a BOM-less multi-line array")
    func validSpellings() {
        let texts = [
            Self.header + "trigger.every = \"1m\"\nrun.retries = 3\n",
            "\"prompt\" = \"p\"\n'model' = \"ds4:flash\"\ntrigger = { cron = \"0 3 * * *\" }\n",
            "prompt = \"p\"\r\nmodel = \"ds4:flash\"\r\n[trigger]\r\nevery = \"1m\"\r\n",
            Self.header + "fallback_models = [\n  \"a:b\",\n  \"c:d\",\n]\n[trigger]\nfile.path = \"~/x\"\nfile.on = \"created\"\n",
            Self.header + "[trigger.webhook]\npath = \"/h\"\nsecret_env = \"S\"\nsignature = \"hmac-sha256\"\n",
        ]
        for text in texts {
            let result = FileSupport.parse(text, context: FileSupport.context(environment: ["S": "x"]))
            #expect(result.automation != nil && result.issues.isEmpty, "\(text): \(result.issues)")
        }
    }

    @Test("a missing webhook secret stops the automation under serve, naming the variable and where to set it")
    func missingSecret() throws {
        let text = Self.header + "[trigger]\nwebhook = { path = \"/hooks/ci\", secret_env = \"CI_SECRET\", signature = \"github-sha256\" }\n"
        let result = FileSupport.parse(text, context: FileSupport.context(purpose: .serve))
        #expect(result.automation == nil)
        let error = try #require(result.issues.first)
        #expect(error.severity == .error && error.line == 4 && error.field == "trigger.webhook.secret_env")
        #expect(error.message.contains("CI_SECRET") && error.fix.contains("export CI_SECRET"))
    }

    @Test("a probe under a policy that runs commands on the host is an error: it could never run")
    func probeOnTheHost() throws {
        let project = try ScratchDirectory()
        defer { project.remove() }
        let text = Self.header + "tool_policy_preset = \"permissive\"\n[trigger]\ncommand = { run = \"true\", every = \"1m\" }\n"
        let result = FileSupport.parse(text, context: FileSupport.context(project: project.path))
        #expect(result.automation == nil)
        let error = try #require(result.issues.first { $0.severity == .error })
        #expect(error.line == 5 && error.field == "trigger.command")
        #expect(error.message.contains("only in the OS sandbox") && error.fix.contains("hardened"))
    }

    @Test("a probe the automation's policy denies is a warning naming the rule; the automation loads")
    func deniedProbeWarns() throws {
        let project = try ScratchDirectory()
        defer { project.remove() }
        let context = FileSupport.context(project: project.path)
        let text = Self.header + "[trigger]\ncommand = { run = \"curl -s https://example.com/health\", every = \"1m\" }\n"
        let result = FileSupport.parse(text, context: context)
        #expect(result.automation != nil)
        let warning = try #require(result.issues.first)
        #expect(warning.severity == .warning && warning.line == 4 && warning.field == "trigger.command.run")
        #expect(warning.message.contains("denies this probe") && warning.message.contains("curl"), "\(warning)")
        let allowed = FileSupport.parse(Self.header + "[trigger]\ncommand = { run = \"test -f build.done\", every = \"1m\" }\n", context: context)
        #expect(allowed.automation != nil && allowed.issues.isEmpty, "\(allowed.issues)")
    }

    @Test("a probe the policy holds for approval is a warning: nobody approves a probe")
    func askedProbeWarns() throws {
        let project = try ScratchDirectory()
        defer { project.remove() }
        try project.write(".pie/policy.toml", "ask_commands = [\"test*\"]\n")
        let text = Self.header + "[trigger]\ncommand = { run = \"test -f build.done\", every = \"1m\" }\n"
        let result = FileSupport.parse(text, context: FileSupport.context(project: project.path))
        #expect(result.automation != nil)
        let warning = try #require(result.issues.first)
        #expect(warning.severity == .warning && warning.field == "trigger.command.run")
        #expect(warning.message.contains("holds this probe for a person's approval, which a probe never gets (ask_commands)"), "\(warning)")
    }

    @Test("files that are not regular UTF-8 text files are refused without blocking, and the good file still loads")
    func unreadableFiles() throws {
        let directory = try ScratchDirectory()
        defer { directory.remove() }
        try directory.write("good.toml", FileSupport.file())
        try directory.write("binary.toml", "")
        try Data([0x70, 0x3D, 0xFF, 0xFE, 0x0A]).write(to: URL(fileURLWithPath: directory.path + "/binary.toml"))
        try Data(repeating: 0x23, count: AutomationLoader.maximumBytes + 1).write(to: URL(fileURLWithPath: directory.path + "/huge.toml"))
        try FileManager.default.createDirectory(atPath: directory.path + "/folder.toml", withIntermediateDirectories: false)
        // A FIFO: opening it for reading would wait for a writer forever.
        #expect(mkfifo(directory.path + "/pipe.toml", 0o600) == 0)
        let set = AutomationLoader.load([(.project, directory.path)], context: FileSupport.context())
        #expect(set.automations.map(\.id.rawValue) == ["good"])
        let byFile = Dictionary(set.issues.map { (String($0.file.split(separator: "/").last ?? ""), $0) }, uniquingKeysWith: { a, _ in a })
        #expect(byFile["binary.toml"]?.message.contains("not valid UTF-8") == true)
        #expect(byFile["huge.toml"]?.message.contains("larger than 1 MiB") == true)
        #expect(byFile["folder.toml"]?.message.contains("not a regular file") == true)
        #expect(byFile["pipe.toml"]?.message.contains("not a regular file") == true)
        for issue in set.issues { #expect(!issue.fix.isEmpty && issue.file.hasPrefix(directory.path)) }
    }
}

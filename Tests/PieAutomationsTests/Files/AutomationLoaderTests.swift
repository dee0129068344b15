import Testing
@testable import PieAutomations

@Suite("automation directories")
struct AutomationLoaderTests {
    @Test("a directory with good and bad files loads every good one and reports every bad one")
    func goodAndBad() throws {
        let directory = try ScratchDirectory()
        defer { directory.remove() }
        try directory.write("a-good.toml", FileSupport.file())
        try directory.write("b-bad.toml", "prompt = \"p\"\nmodel = \"ds4:x\"\n[trigger]\ncron = \"* * *\"\n")
        try directory.write("c-good.toml", FileSupport.file(trigger: "every = \"1h\""))
        try directory.write("d-malformed.toml", "prompt = [\n")
        try directory.write("e-good.toml.removed", "not loaded")
        try directory.write(".f-hidden.toml", "not loaded")
        try directory.write("notes.txt", "not loaded")
        let set = AutomationLoader.load([(.project, directory.path)], context: FileSupport.context())
        #expect(set.automations.map(\.id.rawValue) == ["a-good", "c-good"])
        #expect(set.files.map { $0.path.split(separator: "/").last.map(String.init) ?? "" } == [
            "a-good.toml", "b-bad.toml", "c-good.toml", "d-malformed.toml",
        ])
        #expect(set.files.map(\.valid) == [true, false, true, false])
        #expect(set.hasErrors)
        #expect(set.issues.map(\.file) == [directory.path + "/b-bad.toml", directory.path + "/d-malformed.toml"])
        #expect(set.issues[0].line == 4 && set.issues[0].field == "trigger.cron")
    }

    @Test("a missing directory is no automations, not an error")
    func missingDirectory() {
        let set = AutomationLoader.load([(.user, "/nonexistent/automations")], context: FileSupport.context())
        #expect(set.automations.isEmpty && set.issues.isEmpty && set.files.isEmpty)
    }

    @Test("a project automation shadows the user automation with the same id; both are listed")
    func shadowing() throws {
        let project = try ScratchDirectory(), user = try ScratchDirectory()
        defer { project.remove(); user.remove() }
        try project.write("nightly.toml", FileSupport.file())
        try user.write("nightly.toml", FileSupport.file(trigger: "every = \"1h\""))
        try user.write("weekly.toml", FileSupport.file(trigger: "every = \"7d\""))
        let set = AutomationLoader.load([(.project, project.path), (.user, user.path)], context: FileSupport.context())
        #expect(set.automations.map { "\($0.scope.rawValue):\($0.id)" } == ["project:nightly", "user:nightly", "user:weekly"])
        #expect(set.automations.map(set.isShadowed) == [false, true, false])
        #expect(set.effective.map { "\($0.scope.rawValue):\($0.id)" } == ["project:nightly", "user:weekly"])
    }

    @Test("two automations on one webhook path: the second is refused")
    func webhookPaths() throws {
        let directory = try ScratchDirectory()
        defer { directory.remove() }
        let hook = "webhook = { path = \"/hooks/deploy\", secret_env = \"S\", signature = \"hmac-sha256\" }"
        try directory.write("one.toml", FileSupport.file(trigger: hook))
        try directory.write("two.toml", FileSupport.file(trigger: hook))
        let set = AutomationLoader.load([(.project, directory.path)], context: FileSupport.context(environment: ["S": "x"]))
        #expect(set.automations.map(\.id.rawValue) == ["one"])
        let issue = try #require(set.issues.first)
        #expect(issue.file == directory.path + "/two.toml" && issue.field == "trigger.webhook.path" && issue.line == 5)
        #expect(issue.message.contains("already the path of one"))
    }
}

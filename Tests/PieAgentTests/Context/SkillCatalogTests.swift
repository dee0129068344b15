import Testing

@testable import PieAgent

@Suite struct SkillCatalogTests {
    func skillFile(name: String?, description: String?, extra: String = "", body: String = "Do the thing.") -> String {
        var front = "---\n"
        if let name { front += "name: \(name)\n" }
        if let description { front += "description: \(description)\n" }
        return front + extra + "---\n" + body + "\n"
    }

    @Test func discoversSkillDirectoriesTopLevelFilesAndNestedGroups() throws {
        let dir = try TemporaryDirectory()
        try dir.write("user/pdf/SKILL.md", skillFile(name: "pdf", description: "Work with PDF files"))
        try dir.write("user/pdf/nested/SKILL.md", skillFile(name: "hidden", description: "not searched below a skill"))
        try dir.write("user/notes.md", skillFile(name: nil, description: "Take notes"))
        try dir.write("user/group/deploy/SKILL.md", skillFile(name: "deploy", description: "\"Deploy: the app\""))
        try dir.write("user/.hidden/SKILL.md", skillFile(name: "dot", description: "skipped"))

        let catalog = SkillCatalog.load(
            userDirectory: dir.file("user"), projectDirectory: nil, fileSystem: LocalContextFileSystem())
        #expect(catalog.skills.map(\.name) == ["deploy", "notes", "pdf"])
        #expect(catalog.skill(named: "deploy")?.description == "Deploy: the app")
        #expect(catalog.skill(named: "pdf")?.baseDirectory == dir.file("user/pdf"))
        #expect(catalog.diagnostics.isEmpty)
    }

    @Test func skillWithoutDescriptionIsReportedAndSkipped() throws {
        let dir = try TemporaryDirectory()
        try dir.write("user/broken/SKILL.md", skillFile(name: "broken", description: nil))
        let catalog = SkillCatalog.load(
            userDirectory: dir.file("user"), projectDirectory: nil, fileSystem: LocalContextFileSystem())
        #expect(catalog.skills.isEmpty)
        #expect(catalog.diagnostics.map(\.path) == [dir.file("user/broken/SKILL.md")])
        #expect(catalog.diagnostics.first?.message.contains("description") == true)
    }

    @Test func projectSkillOverridesUserSkillOfTheSameName() throws {
        let dir = try TemporaryDirectory()
        try dir.write("user/lint/SKILL.md", skillFile(name: "lint", description: "user lint"))
        try dir.write("project/lint/SKILL.md", skillFile(name: "lint", description: "project lint"))
        let catalog = SkillCatalog.load(
            userDirectory: dir.file("user"), projectDirectory: dir.file("project"), fileSystem: LocalContextFileSystem())
        #expect(catalog.skills.map(\.description) == ["project lint"])
        #expect(catalog.skills.first?.source == .project)
        #expect(catalog.diagnostics.count == 1)
    }

    @Test func namingRuleViolationsAreWarningsOnly() throws {
        let dir = try TemporaryDirectory()
        try dir.write("user/tool/SKILL.md", skillFile(name: "My_Tool", description: "odd name"))
        let catalog = SkillCatalog.load(
            userDirectory: dir.file("user"), projectDirectory: nil, fileSystem: LocalContextFileSystem())
        #expect(catalog.skills.map(\.name) == ["My_Tool"])
        #expect(catalog.diagnostics.count == 2)
    }

    @Test func disabledModelInvocationHidesFromPromptButKeepsTheCommand() throws {
        let dir = try TemporaryDirectory()
        try dir.write(
            "user/secret/SKILL.md",
            skillFile(name: "secret", description: "manual only", extra: "disable-model-invocation: true\n"))
        let catalog = SkillCatalog.load(
            userDirectory: dir.file("user"), projectDirectory: nil, fileSystem: LocalContextFileSystem())
        #expect(catalog.promptSkills.isEmpty)
        #expect(catalog.skill(named: "secret") != nil)
        #expect(SystemPromptBuilder.skillsBlock(catalog.skills) == nil)
    }

    @Test func expansionWrapsTheBodyWithoutFrontMatter() throws {
        let dir = try TemporaryDirectory()
        try dir.write("user/pdf/SKILL.md", skillFile(name: "pdf", description: "PDF", body: "Run pdftotext."))
        let skill = try #require(
            SkillCatalog.load(userDirectory: dir.file("user"), projectDirectory: nil, fileSystem: LocalContextFileSystem())
                .skill(named: "pdf"))
        let path = dir.file("user/pdf/SKILL.md")
        #expect(
            skill.expansion(arguments: " report.pdf ", fileSystem: LocalContextFileSystem())
                == "<skill name=\"pdf\" location=\"\(path)\">\nReferences are relative to \(dir.file("user/pdf")).\n\n"
                + "Run pdftotext.\n\n</skill>\n\nreport.pdf")
    }
}

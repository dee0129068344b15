import Testing

@testable import PieAgent

@Suite struct SystemPromptBuilderTests {
    let tools = [
        ToolSummary(name: "read", description: "Read file contents"),
        ToolSummary(name: "bash", description: "Execute bash commands (ls, grep, find, etc.)"),
        ToolSummary(name: "edit", description: "Make surgical edits to files (find exact text and replace)"),
    ]

    @Test func defaultPromptNamesToolsPolicyDateAndCwd() {
        let prompt = SystemPromptBuilder.build(
            SystemPromptInput(tools: tools, policySummary: "balanced: writes stay inside the project", cwd: "/p", date: "2026-11-25"))
        #expect(prompt.contains("Available tools:\n- read: Read file contents\n- bash: Execute bash"))
        #expect(prompt.contains("\nPolicy: balanced: writes stay inside the project\n"))
        #expect(prompt.contains("- Use bash for file operations like ls, rg, find"))
        #expect(prompt.contains("- Use read to examine files before editing."))
        #expect(!prompt.contains("Use write only"))
        #expect(prompt.hasSuffix("\nCurrent date: 2026-11-25\nCurrent working directory: /p"))
    }

    @Test func partsComeInPiOrder() {
        let skill = Skill(name: "pdf", description: "PDF <tools>", path: "/s/pdf/SKILL.md", baseDirectory: "/s/pdf", source: .user)
        let prompt = SystemPromptBuilder.build(
            SystemPromptInput(
                tools: tools, policySummary: "p", cwd: "/p", date: "d", customPrompt: "CUSTOM", appendPrompt: "APPENDED",
                contextFiles: [ContextFile(path: "/p/AGENTS.md", content: "RULES")], skills: [skill], memory: "<memory>M</memory>"))
        let order = ["CUSTOM", "APPENDED", "# Project Context", "## /p/AGENTS.md\n\nRULES", "<available_skills>", "<memory>", "Current date"]
        let positions = order.compactMap { prompt.firstRange(of: $0)?.lowerBound }
        #expect(positions.count == order.count)
        #expect(positions == positions.sorted())
        #expect(!prompt.contains("Available tools"))
        #expect(prompt.contains("<description>PDF &lt;tools&gt;</description><location>/s/pdf/SKILL.md</location>"))
    }

    @Test func skillsAreListedOnlyWhenReadIsActive() {
        let skill = Skill(name: "pdf", description: "PDF", path: "/s/SKILL.md", baseDirectory: "/s", source: .user)
        let prompt = SystemPromptBuilder.build(
            SystemPromptInput(tools: [ToolSummary(name: "bash", description: "b")], policySummary: "p", cwd: "/", date: "d", skills: [skill]))
        #expect(!prompt.contains("available_skills"))
    }

    @Test func projectSystemMdWinsOverGlobalAndAppendIsLoaded() throws {
        let dir = try TemporaryDirectory()
        try dir.write("home/.pie/SYSTEM.md", "global system")
        try dir.write("home/.pie/APPEND_SYSTEM.md", "global append")
        try dir.write("repo/.pie/SYSTEM.md", "project system")
        try dir.write("home/.pie/skills/pdf/SKILL.md", "---\ndescription: PDF\n---\nbody")
        try dir.write("home/.pie/memory/MEMORY.md", "remember")
        try dir.write("repo/AGENTS.md", "repo rules")

        let context = PromptContext.load(
            cwd: dir.file("repo"), pieDirectory: PieDirectory(root: dir.file("home/.pie")), fileSystem: LocalContextFileSystem())
        #expect(context.customPrompt?.content == "project system")
        #expect(context.appendPrompt?.content == "global append")
        #expect(context.skills.skills.map(\.name) == ["pdf"])
        let prompt = context.systemPrompt(tools: tools, policySummary: "p", date: "2026-11-25")
        #expect(prompt.hasPrefix("project system\n\nglobal append\n\n# Project Context"))
        #expect(prompt.contains("repo rules"))
        #expect(prompt.contains("<memory>\n## MEMORY.md\n\nremember\n</memory>"))
    }

    @Test func dateIsFormattedAsYearMonthDay() {
        let date = SystemPromptBuilder.date(milliseconds: 1_764_078_374_123)
        #expect(date.count == 10 && date.hasPrefix("2025-11-2"))
    }
}

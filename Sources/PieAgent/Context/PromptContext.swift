/// Everything on disk that shapes the system prompt for one working directory.
///
/// Lookups (all optional, all reported through `diagnostics` when broken):
/// - `SYSTEM.md`: `<cwd>/.pie/SYSTEM.md`, else `~/.pie/SYSTEM.md`; replaces the default prompt.
/// - `APPEND_SYSTEM.md`: same lookup; appended.
/// - `AGENTS.md` / `CLAUDE.md`: `~/.pie/` then `/` down to `cwd` (`ContextFiles`).
/// - skills: `~/.pie/skills`, `<cwd>/.pie/skills` (`SkillCatalog`).
/// - memory: `~/.pie/memory/*.md`, then `<cwd>/.pie/memory/*.md` (`MemoryLoader`).
public struct PromptContext: Sendable, Equatable {
    public var cwd: String
    public var customPrompt: ContextFile?
    public var appendPrompt: ContextFile?
    public var contextFiles: [ContextFile]
    public var skills: SkillCatalog
    public var memory: MemoryBlock

    public var diagnostics: [ContextDiagnostic] { skills.diagnostics + memory.diagnostics }

    public static func load(cwd: String, pieDirectory: PieDirectory, fileSystem: some ContextFileSystem) -> PromptContext {
        let project = Path.join(cwd, ".pie")
        func firstFile(_ name: String) -> ContextFile? {
            for directory in [project, pieDirectory.root] {
                let path = Path.join(directory, name)
                if let content = fileSystem.readFile(path) { return ContextFile(path: path, content: content) }
            }
            return nil
        }
        return PromptContext(
            cwd: cwd, customPrompt: firstFile("SYSTEM.md"), appendPrompt: firstFile("APPEND_SYSTEM.md"),
            contextFiles: ContextFiles.discover(cwd: cwd, globalDirectory: pieDirectory.root, fileSystem: fileSystem),
            skills: SkillCatalog.load(
                userDirectory: pieDirectory.skillsDirectory, projectDirectory: Path.join(project, "skills"),
                fileSystem: fileSystem),
            memory: MemoryLoader.load(
                directory: pieDirectory.memoryDirectory, projectRoot: cwd, fileSystem: fileSystem))
    }

    /// The system prompt for the given tools and policy line, dated `date` (`YYYY-MM-DD`).
    public func systemPrompt(tools: [ToolSummary], policySummary: String, date: String) -> String {
        SystemPromptBuilder.build(
            SystemPromptInput(
                tools: tools, policySummary: policySummary, cwd: cwd, date: date, customPrompt: customPrompt?.content,
                appendPrompt: appendPrompt?.content, contextFiles: contextFiles, skills: skills.skills,
                memory: memory.promptText))
    }
}

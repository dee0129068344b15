import PieAgent
import PiePolicy

/// The system prompt for a run: a given file, or pie's default built from the tools, a one-line
/// policy summary, the date, the project's context files, skills and memory.
enum SystemPrompt {
    static func make(
        file: String?, project: String, pieDirectory: PieDirectory, runner: ToolRunner, policy: ToolPolicy,
        onWarning: (AgentBuildWarning) -> Void
    ) throws(AgentBuildError) -> String {
        if let file {
            let path = PathNormalizer.join(project, file)
            let text: String?
            do {
                text = try PolicyFiles.read(path)
            } catch {
                throw .systemPromptFileUnreadable(path: path, reason: error.message)
            }
            guard let text else { throw .systemPromptFileMissing(path: path) }
            return text
        }
        let tools = runner.definitions.map { definition in
            ToolSummary(name: definition.name, description: String(definition.description.prefix { $0 != "\n" }))
        }
        let context = PromptContext.load(cwd: project, pieDirectory: pieDirectory, fileSystem: LocalContextFileSystem())
        for diagnostic in context.diagnostics { onWarning(.context(diagnostic)) }
        return context.systemPrompt(
            tools: tools, policySummary: summary(policy),
            date: SystemPromptBuilder.date(milliseconds: Timestamp.nowMilliseconds()))
    }

    /// The policy in one line, so the model knows its bounds before it hits them.
    static func summary(_ policy: ToolPolicy) -> String {
        "preset \(policy.preset.rawValue): '\(policy.bashProfile.rawValue)' bash rules, OS sandbox \(policy.sandboxMode.rawValue), "
            + "writes only under \(policy.paths.writeRoots.joined(separator: ", ")), secrets and .git/hooks unreachable"
    }
}

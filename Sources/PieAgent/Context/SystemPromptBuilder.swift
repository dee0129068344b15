#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A tool as the system prompt lists it.
public struct ToolSummary: Sendable, Equatable {
    public var name: String
    /// One line.
    public var description: String

    public init(name: String, description: String) {
        self.name = name
        self.description = description
    }
}

/// Everything the system prompt is made of, gathered by the caller (see `PromptContext`).
public struct SystemPromptInput: Sendable, Equatable {
    public var tools: [ToolSummary]
    /// The active tool policy in one line (from PiePolicy), e.g. `balanced: writes inside the project, …`.
    public var policySummary: String
    public var cwd: String
    /// `YYYY-MM-DD`.
    public var date: String
    /// SYSTEM.md contents: replaces the default prompt (tools, policy, guidelines).
    public var customPrompt: String?
    /// APPEND_SYSTEM.md contents: added after the default or custom prompt.
    public var appendPrompt: String?
    public var contextFiles: [ContextFile]
    /// Skills to list; only listed when the `read` tool is active (the model needs it to load one).
    public var skills: [Skill]
    /// The `<memory>` block.
    public var memory: String?

    public init(
        tools: [ToolSummary], policySummary: String, cwd: String, date: String, customPrompt: String? = nil,
        appendPrompt: String? = nil, contextFiles: [ContextFile] = [], skills: [Skill] = [], memory: String? = nil
    ) {
        self.tools = tools
        self.policySummary = policySummary
        self.cwd = cwd
        self.date = date
        self.customPrompt = customPrompt
        self.appendPrompt = appendPrompt
        self.contextFiles = contextFiles
        self.skills = skills
        self.memory = memory
    }
}

/// Assembles the system prompt in pi's order: base (default or SYSTEM.md) → APPEND_SYSTEM.md →
/// project context files → skills → memory → date and cwd.
///
/// The default prompt is deliberately short: small local models follow a few clear lines better
/// than pages of rules, and every token of it is paid on every request.
public enum SystemPromptBuilder {
    public static func build(_ input: SystemPromptInput) -> String {
        var prompt = input.customPrompt ?? defaultPrompt(tools: input.tools, policySummary: input.policySummary)
        if let append = input.appendPrompt, !append.isEmpty {
            prompt += "\n\n" + append
        }
        if !input.contextFiles.isEmpty {
            prompt += "\n\n# Project Context\n\nProject-specific instructions and guidelines:\n\n"
            for file in input.contextFiles {
                prompt += "## \(file.path)\n\n\(file.content)\n\n"
            }
        }
        if input.tools.contains(where: { $0.name == "read" }), let skills = skillsBlock(input.skills) {
            prompt += "\n\n" + skills
        }
        if let memory = input.memory, !memory.isEmpty {
            prompt += "\n\n" + memory
        }
        prompt += "\nCurrent date: \(input.date)\nCurrent working directory: \(input.cwd)"
        return prompt
    }

    /// The built-in prompt: who pie is, the active tools, the policy line and usage guidelines
    /// that depend on which tools are active.
    public static func defaultPrompt(tools: [ToolSummary], policySummary: String) -> String {
        let names = Set(tools.map(\.name))
        var lines = [
            "You are pie, a coding agent working in the user's project from the terminal. "
                + "Help with software engineering tasks by reading files, editing code and running commands with your tools."
        ]
        if tools.isEmpty {
            lines.append("\nNo tools are available in this session.")
        } else {
            lines.append("\nAvailable tools:")
            lines.append(contentsOf: tools.map { "- \($0.name): \($0.description)" })
        }
        if !policySummary.isEmpty {
            lines.append("\nPolicy: \(policySummary)")
        }
        var guidelines: [String] = []
        if names.contains("bash"), names.isDisjoint(with: ["grep", "find", "ls"]) {
            guidelines.append("Use bash for file operations like ls, rg, find")
        }
        if names.contains("read"), names.contains("edit") {
            guidelines.append("Use read to examine files before editing. You must use this tool instead of cat or sed.")
        }
        if names.contains("edit") { guidelines.append("Use edit for precise changes (old text must match exactly)") }
        if names.contains("write") { guidelines.append("Use write only for new files or complete rewrites") }
        guidelines.append("Be concise in your responses")
        guidelines.append("Show file paths clearly when working with files")
        lines.append("\nGuidelines:")
        lines.append(contentsOf: guidelines.map { "- " + $0 })
        return lines.joined(separator: "\n")
    }

    /// The `<available_skills>` block, or nil when there is nothing to list.
    public static func skillsBlock(_ skills: [Skill]) -> String? {
        let listed = skills.filter { !$0.disableModelInvocation }
        guard !listed.isEmpty else { return nil }
        var text =
            "The following skills provide specialized instructions for specific tasks. "
            + "When a task matches a skill's description, use the read tool to load the skill file from its location "
            + "and follow it; resolve relative paths in a skill against the skill's directory.\n\n<available_skills>\n"
        for skill in listed {
            text +=
                "  <skill><name>\(XML.escape(skill.name))</name><description>\(XML.escape(skill.description))</description>"
                + "<location>\(XML.escape(skill.path))</location></skill>\n"
        }
        return text + "</available_skills>"
    }

    /// `YYYY-MM-DD` in the local time zone for `milliseconds` since the epoch.
    public static func date(milliseconds: Int64) -> String {
        var seconds = time_t(milliseconds / 1000)
        var parts = tm()
        localtime_r(&seconds, &parts)
        let year = String(Int(parts.tm_year) + 1900)
        let month = Int(parts.tm_mon) + 1
        let day = Int(parts.tm_mday)
        return year + "-" + (month < 10 ? "0" : "") + String(month) + "-" + (day < 10 ? "0" : "") + String(day)
    }
}

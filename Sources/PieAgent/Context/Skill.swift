/// A skill: a Markdown file of instructions the model reads on demand.
///
/// Only the name, description and location go into the system prompt; the body is read by the
/// model (with the `read` tool) or expanded by `/skill:name` when it is needed, which keeps the
/// prompt short however many skills are installed.
public struct Skill: Sendable, Equatable {
    public enum Source: String, Sendable, Equatable {
        /// `~/.pie/skills`
        case user
        /// `<cwd>/.pie/skills`; overrides a user skill of the same name.
        case project
    }

    public var name: String
    public var description: String
    /// Absolute path of the skill file (`…/SKILL.md` or a top-level `*.md`).
    public var path: String
    /// Directory relative references in the skill resolve against.
    public var baseDirectory: String
    public var source: Source
    /// `disable-model-invocation: true`: not listed in the prompt, still usable as `/skill:name`.
    public var disableModelInvocation: Bool

    public init(
        name: String, description: String, path: String, baseDirectory: String, source: Source,
        disableModelInvocation: Bool = false
    ) {
        self.name = name
        self.description = description
        self.path = path
        self.baseDirectory = baseDirectory
        self.source = source
        self.disableModelInvocation = disableModelInvocation
    }

    /// The text `/skill:name args` sends, in pi's shape: the body (front matter removed) inside a
    /// `<skill>` element, then the arguments after a blank line. Nil when the file is gone.
    public func expansion(arguments: String = "", fileSystem: some ContextFileSystem) -> String? {
        guard let text = fileSystem.readFile(path) else { return nil }
        let body = FrontMatter(parsing: text).body
        var result =
            "<skill name=\"\(XML.escape(name))\" location=\"\(XML.escape(path))\">\n"
            + "References are relative to \(baseDirectory).\n\n\(body)\n</skill>"
        let trimmed = arguments.trimming(" \t\n")
        if !trimmed.isEmpty { result += "\n\n" + trimmed }
        return result
    }
}

/// Escaping for text placed inside XML-like prompt blocks.
enum XML {
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            default: result.append(character)
            }
        }
        return result
    }
}

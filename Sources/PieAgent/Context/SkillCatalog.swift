/// The skills available in a working directory, and what was wrong with the ones left out.
///
/// Discovery follows pi's rules: a directory containing `SKILL.md` is a skill (nothing below it is
/// searched), `*.md` files directly in a skills root are skills too, and other subdirectories are
/// searched recursively, skipping dot-entries and `node_modules`. Front matter `description` is
/// required (a skill the model cannot choose is useless); a missing `name` defaults to the
/// directory (or file) name; naming-rule violations are only warnings. When the user and the
/// project define the same name, the project's skill wins: it is the more specific instruction.
public struct SkillCatalog: Sendable, Equatable {
    public var skills: [Skill]
    public var diagnostics: [ContextDiagnostic]

    public static let maxNameLength = 64
    public static let maxDescriptionLength = 1024

    public init(skills: [Skill], diagnostics: [ContextDiagnostic] = []) {
        self.skills = skills
        self.diagnostics = diagnostics
    }

    /// Loads `~/.pie/skills` (user) and `<cwd>/.pie/skills` (project).
    public static func load(
        userDirectory: String?, projectDirectory: String?, fileSystem: some ContextFileSystem
    ) -> SkillCatalog {
        var diagnostics: [ContextDiagnostic] = []
        var byName: [String: Skill] = [:]
        var order: [String] = []
        let roots: [(String?, Skill.Source)] = [(userDirectory, .user), (projectDirectory, .project)]
        for case (let root?, let source) in roots {
            for skill in scan(root: root, source: source, fileSystem: fileSystem, diagnostics: &diagnostics) {
                if let existing = byName[skill.name] {
                    if existing.source == source {
                        diagnostics.append(
                            .init(path: skill.path, message: "skill '\(skill.name)' is also defined at \(existing.path); the first one is used"))
                        continue
                    }
                    diagnostics.append(
                        .init(path: existing.path, message: "skill '\(skill.name)' is overridden by the project skill at \(skill.path)"))
                } else {
                    order.append(skill.name)
                }
                byName[skill.name] = skill
            }
        }
        return SkillCatalog(skills: order.compactMap { byName[$0] }, diagnostics: diagnostics)
    }

    /// A skill by name, for `/skill:name`.
    public func skill(named name: String) -> Skill? {
        skills.first { $0.name == name }
    }

    /// Skills the model is told about (those without `disable-model-invocation`).
    public var promptSkills: [Skill] {
        skills.filter { !$0.disableModelInvocation }
    }

    private static func scan(
        root: String, source: Skill.Source, fileSystem: some ContextFileSystem, diagnostics: inout [ContextDiagnostic]
    ) -> [Skill] {
        guard let names = fileSystem.listDirectory(root) else { return [] }
        var skills: [Skill] = []
        for name in names.sorted() where !name.hasPrefix(".") && name != "node_modules" {
            let path = Path.join(root, name)
            if fileSystem.isDirectory(path) {
                skills.append(contentsOf: scanDirectory(path, source: source, fileSystem: fileSystem, diagnostics: &diagnostics))
            } else if name.hasSuffix(".md") {
                let skill = parse(
                    path: path, defaultName: String(name.dropLast(3)), baseDirectory: root, source: source,
                    fileSystem: fileSystem, diagnostics: &diagnostics)
                if let skill { skills.append(skill) }
            }
        }
        return skills
    }

    private static func scanDirectory(
        _ directory: String, source: Skill.Source, fileSystem: some ContextFileSystem,
        diagnostics: inout [ContextDiagnostic]
    ) -> [Skill] {
        let skillFile = Path.join(directory, "SKILL.md")
        if fileSystem.readFile(skillFile) != nil {
            let skill = parse(
                path: skillFile, defaultName: Path.lastComponent(of: directory), baseDirectory: directory, source: source,
                fileSystem: fileSystem, diagnostics: &diagnostics)
            return skill.map { [$0] } ?? []
        }
        var skills: [Skill] = []
        for name in (fileSystem.listDirectory(directory) ?? []).sorted()
        where !name.hasPrefix(".") && name != "node_modules" {
            let path = Path.join(directory, name)
            if fileSystem.isDirectory(path) {
                skills.append(contentsOf: scanDirectory(path, source: source, fileSystem: fileSystem, diagnostics: &diagnostics))
            }
        }
        return skills
    }

    private static func parse(
        path: String, defaultName: String, baseDirectory: String, source: Skill.Source,
        fileSystem: some ContextFileSystem, diagnostics: inout [ContextDiagnostic]
    ) -> Skill? {
        guard let text = fileSystem.readFile(path) else {
            diagnostics.append(.init(path: path, message: "skill file could not be read; skipped"))
            return nil
        }
        let front = FrontMatter(parsing: text)
        guard let description = front.fields["description"], !description.isEmpty else {
            diagnostics.append(
                .init(path: path, message: "skill has no `description` in its front matter; skipped (add `description: …`)"))
            return nil
        }
        let name = front.fields["name"].flatMap { $0.isEmpty ? nil : $0 } ?? defaultName
        for warning in nameWarnings(name, directoryName: defaultName) {
            diagnostics.append(.init(path: path, message: warning))
        }
        if description.count > maxDescriptionLength {
            diagnostics.append(
                .init(path: path, message: "description is longer than \(maxDescriptionLength) characters"))
        }
        return Skill(
            name: name, description: description, path: path, baseDirectory: baseDirectory, source: source,
            disableModelInvocation: front.fields["disable-model-invocation"]?.lowercased() == "true")
    }

    /// The Agent Skills naming rules; breaking them is reported, not fatal.
    static func nameWarnings(_ name: String, directoryName: String) -> [String] {
        var warnings: [String] = []
        if name.count > maxNameLength { warnings.append("skill name '\(name)' is longer than \(maxNameLength) characters") }
        let allowed = name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
        if !allowed || name.hasPrefix("-") || name.hasSuffix("-") || name.contains("--") {
            warnings.append("skill name '\(name)' should be lowercase letters, digits and single inner hyphens")
        }
        if name != directoryName {
            warnings.append("skill name '\(name)' differs from its directory or file name '\(directoryName)'")
        }
        return warnings
    }
}

/// Resolves the paths an automation file names (a file trigger's path, a policy profile).
enum FilePaths {
    /// `~/x` under the home directory; an absolute path as is; a relative path against the project
    /// root for a project automation. Nil for a relative path in a user automation (there is no
    /// directory it could mean) and for `~user/` forms.
    static func resolve(_ text: String, scope: AutomationScope, context: ValidationContext) -> String? {
        if text.hasPrefix("/") { return text }
        if text == "~" || text.hasPrefix("~/") {
            guard let home = context.home else { return nil }
            return home + text.dropFirst()
        }
        guard !text.isEmpty, !text.hasPrefix("~"), scope == .project, let root = context.projectRoot else { return nil }
        return root + "/" + text
    }
}

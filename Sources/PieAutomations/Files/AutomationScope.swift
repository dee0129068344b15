/// Where an automation file lives. A project automation and a user automation with the same id
/// are both listed; the project one shadows the user one wherever the id alone names an
/// automation (docs/automations.md, "Ids and scopes").
public enum AutomationScope: String, Sendable, CaseIterable, Comparable {
    /// `<project>/.pie/automations/<id>.toml`
    case project
    /// `~/.pie/automations/<id>.toml` (`$PIE_DIR/automations`)
    case user

    public static func < (lhs: AutomationScope, rhs: AutomationScope) -> Bool {
        lhs == .project && rhs == .user
    }
}

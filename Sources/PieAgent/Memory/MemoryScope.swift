/// Where a memory lives: the user's (`~/.pie/memory`, every project) or the project's
/// (`<project>/.pie/memory`, sessions in that project).
public enum MemoryScope: String, Sendable, CaseIterable, Comparable {
    case user, project

    public static func < (lhs: MemoryScope, rhs: MemoryScope) -> Bool {
        lhs == .user && rhs == .project
    }
}

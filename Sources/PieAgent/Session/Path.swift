/// Lexical helpers for the absolute, slash-separated paths the session and context layers build.
/// Free functions rather than `String` extensions so they cannot clash with Foundation's
/// path methods in files that import it.
enum Path {
    /// The directory part (`/a/b/c.jsonl` → `/a/b`, `/a` → `/`).
    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// The last component (`/a/b/c.jsonl` → `c.jsonl`).
    static func lastComponent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    /// `directory` and `name` joined by exactly one slash.
    static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }
}

/// One instructions file (AGENTS.md or CLAUDE.md) included in the system prompt.
public struct ContextFile: Sendable, Equatable {
    public var path: String
    public var content: String

    public init(path: String, content: String) {
        self.path = path
        self.content = content
    }
}

/// Finds the AGENTS.md / CLAUDE.md files that apply to a working directory, as pi does.
///
/// In each directory the first existing of `AGENTS.md`, `CLAUDE.md` is used (AGENTS.md wins, so a
/// repository that keeps both for different tools is not read twice). The global file from the
/// pie directory comes first, then every directory from `/` down to `cwd`, so more specific
/// instructions come later and read as overrides.
public enum ContextFiles {
    public static let candidateNames = ["AGENTS.md", "CLAUDE.md"]

    public static func discover(
        cwd: String, globalDirectory: String?, fileSystem: some ContextFileSystem
    ) -> [ContextFile] {
        var directories: [String] = []
        if let globalDirectory { directories.append(globalDirectory) }
        directories.append(contentsOf: ancestors(of: cwd).reversed())
        var seen = Set<String>()
        var files: [ContextFile] = []
        for directory in directories {
            for name in candidateNames {
                let path = Path.join(directory, name)
                guard let content = fileSystem.readFile(path) else { continue }
                if seen.insert(path).inserted { files.append(ContextFile(path: path, content: content)) }
                break
            }
        }
        return files
    }

    /// `cwd` and each parent up to `/`, nearest first (`/a/b` → `/a/b`, `/a`, `/`).
    static func ancestors(of cwd: String) -> [String] {
        let parts = cwd.split(separator: "/", omittingEmptySubsequences: true)
        var result: [String] = []
        for count in stride(from: parts.count, through: 1, by: -1) {
            result.append("/" + parts.prefix(count).joined(separator: "/"))
        }
        result.append("/")
        return result
    }
}

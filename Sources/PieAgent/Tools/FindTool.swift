import PiePolicy
import PieSandbox

/// pi's `find`: paths below a directory whose name (or, for a pattern with `/`, whose relative
/// path) matches a glob. Directories end with `/`. `.gitignore` and the policy's roots apply.
///
/// pi runs `fd`, which matches only the last component, so `src/**/*.spec.ts` finds nothing there;
/// pie matches such patterns against the relative path, which is what models mean.
public struct FindTool: AgentTool {
    public static let defaultLimit = 1000

    public init() {}

    public let name = "find"
    public let description =
        "Search for files by glob pattern. Returns matching file paths relative to the search directory. "
        + "Respects .gitignore. Output is truncated to \(FindTool.defaultLimit) results or "
        + "\(Truncation.defaultMaxBytes / 1024)KB (whichever is hit first)."

    public let schema = ToolSchema([
        .init(
            "pattern", .string, "Glob pattern to match files, e.g. '*.ts', '**/*.json', or 'src/**/*.spec.ts'",
            required: true),
        .init("path", .string, "Directory to search in (default: current directory)"),
        .init("limit", .integer(minimum: 1), "Maximum number of results (default: 1000)"),
    ])

    public func policyRequest(_ arguments: ValidatedArguments, context: ToolContext) -> ToolRequest {
        .file(tool: .find, path: context.resolve(arguments.string("path") ?? "."))
    }

    public func execute(_ arguments: ValidatedArguments, context: ToolContext) async throws(ToolFailure) -> ToolResult {
        try context.checkCancelled()
        let root = context.resolve(arguments.string("path") ?? ".")
        let limit = arguments.integer("limit") ?? Self.defaultLimit
        var pattern = arguments.string("pattern") ?? ""
        while PathBytes.hasPrefix(pattern, "./") { pattern = PathBytes.dropFirst(pattern, bytes: 2) }
        let glob = GlobPattern(pattern)
        try SearchRoot.requireDirectory(root, files: context.files)

        var walker = TreeWalker(files: context.files, paths: context.policy.paths)
        var results: [String] = []
        walker.walk(root) { entry in
            if Task.isCancelled { return false }
            let components = PathBytes.components(entry.relative)
            let hit = glob.hasSlash ? glob.matches(components: components) : glob.matches(name: components.last ?? "")
            if hit { results.append(entry.kind == .directory ? entry.relative + "/" : entry.relative) }
            return results.count < limit
        }
        try context.checkCancelled()
        guard !results.isEmpty else { return .text("No files found matching pattern") }
        var notices: [String] = []
        var details = ListingDetails()
        if results.count >= limit {
            notices.append("\(limit) results limit reached. Use limit=\(limit * 2) for more, or refine pattern")
            details.limitReached = .results(limit)
        }
        if walker.hitEntryCap { notices.append(SearchRoot.entryCapNotice) }
        return ListingOutput.result(lines: results, notices: notices, details: details, maxBytes: context.maxOutputBytes)
    }
}

import PiePolicy
import PieSandbox

/// pi's `grep`: matching lines as `path:LINE: text`, context lines as `path-LINE- text`, paths
/// relative to the searched directory (the basename when a single file is searched), lines cut
/// at 500 characters, `limit` matches (default 100).
///
/// pi runs ripgrep; pie walks the tree through `FileOperations` (every directory and file opened
/// confined beneath its root) and matches with Swift `Regex` (whose syntax covers what models write
/// for ripgrep) or, for plain words, a byte search (`GrepMatcher`); files are searched a batch at a
/// time on a few concurrent tasks, their matches kept in walk order (`GrepSearch`). Binary
/// files (a NUL in the first 8 KB) and files over the policy's read cap are skipped, as rg skips
/// binaries.
public struct GrepTool: AgentTool {
    public static let defaultLimit = 100
    /// Bytes sniffed for a NUL to decide that a file is binary.
    static let binarySniffBytes = 8192

    public init() {}

    public let name = "grep"
    public let description =
        "Search file contents for a pattern. Returns matching lines with file paths and line numbers. Respects "
        + ".gitignore. Output is truncated to \(GrepTool.defaultLimit) matches or "
        + "\(Truncation.defaultMaxBytes / 1024)KB (whichever is hit first). Long lines are truncated to "
        + "\(Truncation.grepMaxLineLength) chars."

    public let schema = ToolSchema([
        .init("pattern", .string, "Search pattern (regex or literal string)", required: true),
        .init("path", .string, "Directory or file to search (default: current directory)"),
        .init("glob", .string, "Filter files by glob pattern, e.g. '*.ts' or '**/*.spec.ts'"),
        .init("ignoreCase", .boolean, "Case-insensitive search (default: false)"),
        .init("literal", .boolean, "Treat pattern as literal string instead of regex (default: false)"),
        .init("context", .integer(minimum: 0), "Number of lines to show before and after each match (default: 0)"),
        .init("limit", .integer(minimum: 1), "Maximum number of matches to return (default: 100)"),
    ])

    public func policyRequest(_ arguments: ValidatedArguments, context: ToolContext) -> ToolRequest {
        .file(tool: .grep, path: context.resolve(arguments.string("path") ?? "."))
    }

    public func execute(_ arguments: ValidatedArguments, context: ToolContext) async throws(ToolFailure) -> ToolResult {
        try context.checkCancelled()
        let root = context.resolve(arguments.string("path") ?? ".")
        let isDirectory = try SearchRoot.kind(root, files: context.files) == .directory
        let search = try GrepSearch(
            pattern: arguments.string("pattern") ?? "", literal: arguments.bool("literal") ?? false,
            ignoreCase: arguments.bool("ignoreCase") ?? false, glob: arguments.string("glob").map(GlobPattern.init),
            context: arguments.integer("context") ?? 0, limit: arguments.integer("limit") ?? Self.defaultLimit,
            files: context.files, maxFileBytes: context.policy.maxFileReadBytes)
        var walker = TreeWalker(files: context.files, paths: context.policy.paths)
        var found = GrepSearch.Found()
        var stoppedEarly = false
        if isDirectory {
            walker.start(root)
            stoppedEarly = await search.scan(&walker, into: &found)
        } else {
            _ = search.scan(root, shownAs: ToolPath.basename(root), into: &found)
        }
        try context.checkCancelled()
        guard found.matches > 0 else { return .text("No matches found") }

        // pi's notices, in pi's order: match limit, byte limit, long lines.
        let body = Truncation.head(found.lines.joined(separator: "\n"), maxLines: .max, maxBytes: context.maxOutputBytes)
        var notices: [String] = []
        var details = ListingDetails()
        if found.matches >= search.limit {
            notices.append("\(search.limit) matches limit reached. Use limit=\(search.limit * 2) for more, or refine pattern")
            details.limitReached = .matches(search.limit)
        }
        if body.truncated {
            notices.append("\(Truncation.formatSize(context.maxOutputBytes)) limit reached")
            details.truncation = body
        }
        if found.linesTruncated {
            notices.append("Some lines truncated to \(Truncation.grepMaxLineLength) chars. Use read tool to see full lines")
            details.linesTruncated = true
        }
        if walker.hitEntryCap, !stoppedEarly { notices.append(SearchRoot.entryCapNotice) }
        let suffix = notices.isEmpty ? "" : "\n\n[" + notices.joined(separator: ". ") + "]"
        return .text(body.content + suffix, details: details.isEmpty ? nil : .listing(details))
    }
}

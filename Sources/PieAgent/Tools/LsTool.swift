import PiePolicy
import PieSandbox

/// pi's `ls`: one directory's entries, sorted case-insensitively, `/` after directories, dotfiles
/// included. Unlike pi, entries the project's `.gitignore` files ignore and entries the policy
/// would refuse to read are left out.
public struct LsTool: AgentTool {
    public static let defaultLimit = 500

    public init() {}

    public let name = "ls"
    public let description =
        "List directory contents. Returns entries sorted alphabetically, with '/' suffix for directories. "
        + "Includes dotfiles. Output is truncated to \(LsTool.defaultLimit) entries or "
        + "\(Truncation.defaultMaxBytes / 1024)KB (whichever is hit first)."

    public let schema = ToolSchema([
        .init("path", .string, "Directory to list (default: current directory)"),
        .init("limit", .integer(minimum: 1), "Maximum number of entries to return (default: 500)"),
    ])

    public func policyRequest(_ arguments: ValidatedArguments, context: ToolContext) -> ToolRequest {
        .file(tool: .ls, path: context.resolve(arguments.string("path") ?? "."))
    }

    public func execute(_ arguments: ValidatedArguments, context: ToolContext) async throws(ToolFailure) -> ToolResult {
        try context.checkCancelled()
        let directory = context.resolve(arguments.string("path") ?? ".")
        let limit = arguments.integer("limit") ?? Self.defaultLimit
        let info: FileInfo
        do {
            info = try context.files.info(directory)
        } catch {
            throw ToolFailure(error.kind == .notFound ? "Path not found: \(directory)" : error.message)
        }
        guard info.kind == .directory || info.kind == .symlink else { throw ToolFailure("Not a directory: \(directory)") }
        let entries: [DirectoryEntry]
        do {
            entries = try context.files.list(directory)
        } catch {
            throw ToolFailure("Cannot read directory: \(error.message)")
        }
        let walker = TreeWalker(files: context.files, paths: context.policy.paths)
        let ignores = walker.ancestorIgnores(of: directory).adding(walker.ignoreRules(in: directory), in: directory)
        let visible = entries.filter { entry in
            let path = directory == "/" ? "/" + entry.name : directory + "/" + entry.name
            return walker.isReadable(path) && !ignores.isIgnored(path, isDirectory: entry.kind == .directory)
        }.sorted { lhs, rhs in
            let left = lhs.name.lowercased()
            let right = rhs.name.lowercased()
            return left == right ? lhs.name < rhs.name : left < right
        }
        guard !visible.isEmpty else { return .text("(empty directory)") }
        let shown = visible.prefix(limit).map { $0.kind == .directory ? $0.name + "/" : $0.name }
        var notices: [String] = []
        var details = ListingDetails()
        if visible.count > limit {
            notices.append("\(limit) entries limit reached. Use limit=\(limit * 2) for more")
            details.limitReached = .entries(limit)
        }
        return ListingOutput.result(lines: shown, notices: notices, details: details, maxBytes: context.maxOutputBytes)
    }
}

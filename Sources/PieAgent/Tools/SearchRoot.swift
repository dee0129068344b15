import PieSandbox

/// Checks shared by the searching tools.
enum SearchRoot {
    static let entryCapNotice =
        "Search stopped after \(TreeWalker.defaultMaxEntries) entries. Use a narrower path"

    /// Returns the root's kind, or pi's `Path not found: <abs>`.
    @discardableResult
    static func kind(_ path: String, files: any FileOperations) throws(ToolFailure) -> FileKind {
        do {
            return try files.info(path).kind
        } catch {
            throw ToolFailure(error.kind == .notFound ? "Path not found: \(path)" : error.message)
        }
    }

    static func requireDirectory(_ path: String, files: any FileOperations) throws(ToolFailure) {
        let kind = try kind(path, files: files)
        guard kind == .directory || kind == .symlink else { throw ToolFailure("Not a directory: \(path)") }
    }
}

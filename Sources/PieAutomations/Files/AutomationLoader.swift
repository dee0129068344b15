import PiePolicy

#if canImport(Glibc)
import Glibc
#endif

/// Loads automation files: one file, a directory, or both scopes' directories. A bad file never
/// stops the others from loading: every good automation is returned and every problem reported.
public enum AutomationLoader {
    /// The file's id (its name without `.toml`), or the issue that makes the name unusable.
    public static func id(forFile path: String) -> Result<AutomationID, AutomationIssue> {
        let name = String(path.split(separator: "/").last ?? "")
        guard name.hasSuffix(".toml") else {
            return .failure(
                AutomationIssue(
                    file: path, line: nil, field: nil, message: "not a .toml file",
                    fix: "name automation files <id>.toml"))
        }
        let stem = String(name.dropLast(5))
        guard let id = AutomationID(stem) else {
            return .failure(
                AutomationIssue(
                    file: path, line: nil, field: nil, message: "'\(stem)' is not a valid automation id",
                    fix: "rename the file: an id uses \(AutomationID.rule)"))
        }
        return .success(id)
    }

    /// Reads and validates one file.
    public static func loadFile(_ path: String, scope: AutomationScope, context: ValidationContext) -> AutomationParser.Result {
        let id: AutomationID
        switch self.id(forFile: path) {
        case .success(let value): id = value
        case .failure(let issue): return AutomationParser.Result(automation: nil, issues: [issue])
        }
        let text: String
        do throws(PolicyError) {
            guard let read = try PolicyFiles.read(path) else {
                let issue = AutomationIssue(file: path, line: nil, field: nil, message: "does not exist", fix: "check the path")
                return AutomationParser.Result(automation: nil, issues: [issue])
            }
            text = read
        } catch {
            let issue = AutomationIssue(file: path, line: nil, field: nil, message: error.message, fix: "fix the file's permissions or contents")
            return AutomationParser.Result(automation: nil, issues: [issue])
        }
        return AutomationParser.parse(text, path: path, id: id, scope: scope, context: context)
    }

    /// Every `*.toml` file directly in `directory` (hidden files, `*.removed` and other names are
    /// not automations), sorted; empty when the directory does not exist.
    public static func files(in directory: String) -> [String] {
        guard let handle = opendir(directory) else { return [] }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard name.hasSuffix(".toml"), !name.hasPrefix(".") else { continue }
            names.append(name)
        }
        return names.sorted().map { directory + "/" + $0 }
    }

    /// One file as a set (`pie automations validate FILE`).
    public static func loadSingle(_ path: String, scope: AutomationScope, context: ValidationContext) -> AutomationSet {
        var set = AutomationSet()
        set.record(path, loadFile(path, scope: scope, context: context))
        return set
    }

    /// Loads every file of every directory, then checks what only the whole set shows (two
    /// automations on one webhook path).
    public static func load(_ directories: [(AutomationScope, String)], context: ValidationContext) -> AutomationSet {
        var set = AutomationSet()
        for (scope, directory) in directories {
            for path in files(in: directory) {
                set.record(path, loadFile(path, scope: scope, context: context))
            }
        }
        set.checkWebhookPaths()
        return set
    }
}

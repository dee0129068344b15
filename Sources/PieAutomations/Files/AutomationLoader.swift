import PieSystem

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
        switch readText(path) {
        case .success(let read): text = read
        case .failure(let issue): return AutomationParser.Result(automation: nil, issues: [issue])
        }
        return AutomationParser.parse(text, path: path, id: id, scope: scope, context: context)
    }

    /// The most an automation file may hold: far more than any automation needs.
    static let maximumBytes = 1_048_576

    /// The file's text. Opened without blocking and refused unless it is a regular file: a FIFO
    /// named `x.toml` in an automations directory would otherwise stop `serve` in `open(2)`
    /// until some process wrote to it, and no other automation would load meanwhile.
    static func readText(_ path: String) -> Result<String, AutomationIssue> {
        func issue(_ message: String, _ fix: String) -> Result<String, AutomationIssue> {
            .failure(AutomationIssue(file: path, line: nil, field: nil, message: message, fix: fix))
        }
        let fd: Int32
        do throws(FileError) {
            fd = try FileIO.openFile(path, O_RDONLY | O_NONBLOCK | O_NOCTTY)
        } catch where error.code == ENOENT || error.code == ENOTDIR {
            return issue("does not exist", "check the path")
        } catch {
            return issue("cannot be opened: \(String(cString: strerror(error.code)))", "fix the file's permissions")
        }
        defer { FileIO.close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            return issue("cannot be read: \(String(cString: strerror(errno)))", "fix the file's permissions")
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            return issue(
                "is not a regular file (a directory, FIFO, socket or device)",
                "an automation is a regular .toml file: remove or rename this one")
        }
        let bytes: [UInt8]
        do throws(FileError) {
            bytes = try FileIO.readToEnd(fd, path: path, limit: maximumBytes)
        } catch {
            return issue("cannot be read: \(String(cString: strerror(error.code)))", "fix the file's permissions")
        }
        guard bytes.count <= maximumBytes else {
            return issue("is larger than 1 MiB", "an automation file is a short TOML file: check that this is the right file")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return issue("is not valid UTF-8, which TOML requires", "save the file as UTF-8")
        }
        return .success(text)
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

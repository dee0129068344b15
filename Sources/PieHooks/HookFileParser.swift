import PiePolicy
import TOMLKit

/// Reads a hooks file in c4pt0r/pie's format (`[[hook]]` tables). Every key must be known and
/// every value valid: a mistake is an error naming the file, the line and the field, and the
/// whole file is refused, so a typo never silently drops a hook (least of all a `pre_tool` gate).
public enum HookFileParser {
    static let keys = ["event", "command", "webhook", "headers", "timeout_ms", "enabled", "tool", "on_failure", "cwd"]
    /// A hook may run for at most ten minutes.
    static let timeoutRange = 1...600_000

    public static func parse(_ bytes: [UInt8], path: String, scope: HookScope) throws(HookFileError) -> [Hook] {
        // toml++ reads text as a C string: anything after a NUL (a second `pre_tool` hook) would
        // be dropped without a word. TOML forbids NUL everywhere.
        if let offset = bytes.firstIndex(of: 0) {
            let line = bytes[..<offset].reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
            throw HookFileError([
                HookIssue(
                    file: path, line: line, field: nil, message: "contains a NUL byte, which TOML forbids",
                    fix: "remove it (an editor or a binary tool wrote it); nothing after it could be read")
            ])
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw HookFileError([
                HookIssue(
                    file: path, line: 1, field: nil, message: "is not valid UTF-8", fix: "save the file as UTF-8")
            ])
        }
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw HookFileError([
                HookIssue(
                    file: path, line: error.source.begin.line, field: nil, message: "not valid TOML: \(error.description)",
                    fix: "correct the syntax on that line")
            ])
        } catch {
            throw HookFileError([
                HookIssue(file: path, line: 1, field: nil, message: "cannot parse TOML: \(error)", fix: "correct the syntax")
            ])
        }
        var reader = HookFieldReader(file: path, lines: ArrayTableLines(text, table: "hook"))
        let hooks = reader.hooks(table, scope: scope)
        guard reader.issues.isEmpty else { throw HookFileError(reader.issues.sorted { $0.line < $1.line }) }
        return hooks
    }
}

import PiePolicy
import TOMLKit

#if canImport(Glibc)
import Glibc
#endif

/// Changes automation files the way a careful person would: `enabled` is rewritten in place
/// (every other byte, comments included, stays as it was), the new text is checked to parse to
/// the intended value before it replaces the old one, and the replacement is atomic (a temp file
/// in the same directory, fsync, rename, fsync of the directory), so a crash leaves either the
/// old file or the new one, never a torn one.
public enum AutomationFileEditor {
    public struct EditError: Error, Sendable, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }

    /// The text with top-level `enabled` set to `enabled`: its value token replaced where the
    /// file writes `enabled = true|false`, else a line `enabled = …` inserted before the first
    /// table (top-level keys must precede it) or at the end.
    public static func settingEnabled(_ enabled: Bool, in text: String, path: String) throws(EditError) -> String {
        let lines = KeyLines(text)
        let value = enabled ? "true" : "false"
        var rows = KeyLines.rows(text)
        if let number = lines.exactLine("enabled") {
            let row = rows[number - 1]
            guard let equals = row.firstIndex(of: "=") else { throw EditError("\(path):\(number): cannot find enabled's value") }
            let afterEquals = row[row.index(after: equals)...]
            let spaces = afterEquals.prefix { $0 == " " || $0 == "\t" }
            let rest = afterEquals.dropFirst(spaces.count)
            guard let old = ["true", "false"].first(where: { rest.hasPrefix($0) }),
                rest.dropFirst(old.count).first.map({ $0 == " " || $0 == "\t" || $0 == "#" || $0 == "\r" }) ?? true
            else {
                throw EditError("\(path):\(number): enabled is not written as true or false; edit the file by hand")
            }
            rows[number - 1] = String(row[...equals]) + spaces + value + rest.dropFirst(old.count)
        } else if let header = lines.firstHeader {
            let ending = rows[header - 1].hasSuffix("\r") ? "\r" : ""
            rows.insert("enabled = \(value)" + ending, at: header - 1)
        } else {
            if rows.last == "" { rows.removeLast() }
            rows.append("enabled = \(value)")
            rows.append("")
        }
        let result = rows.joined(separator: "\n")
        guard (try? TOMLTable(string: result))?["enabled"]?.bool == enabled else {
            throw EditError("\(path): setting enabled would not give a valid file; edit the file by hand")
        }
        return result
    }

    /// Sets `enabled` in the file at `path`; false when it already had that value (the file is
    /// then not written).
    @discardableResult
    public static func setEnabled(_ enabled: Bool, path: String) throws(EditError) -> Bool {
        let read: String?
        do throws(PolicyError) {
            read = try PolicyFiles.read(path)
        } catch {
            throw EditError(error.message)
        }
        guard let text = read else { throw EditError("\(path): does not exist") }
        let updated = try settingEnabled(enabled, in: text, path: path)
        guard updated != text else { return false }
        // A symlinked file (a dotfiles repository) is edited where it lives; replacing the link
        // with a regular file would quietly detach it.
        guard let resolved = realpath(path, nil) else { throw EditError("\(path): cannot resolve: \(errorText())") }
        defer { free(resolved) }
        try replace(String(cString: resolved), with: updated)
        return true
    }

    /// Writes `text` to a temp file beside `path` with `path`'s permissions, fsyncs it, renames
    /// it over `path` and fsyncs the directory.
    public static func replace(_ path: String, with text: String) throws(EditError) {
        var status = stat()
        guard stat(path, &status) == 0 else { throw EditError("\(path): cannot stat: \(errorText())") }
        let directory = parentDirectory(of: path)
        let temporary = directory + "/." + (path.split(separator: "/").last.map(String.init) ?? "automation") + ".\(getpid()).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, status.st_mode & 0o7777)
        guard fd >= 0 else { throw EditError("\(temporary): cannot create: \(errorText())") }
        var ok = writeAll(fd, Array(text.utf8)) && fchmod(fd, status.st_mode & 0o7777) == 0 && fsync(fd) == 0
        let writeError = errorText()
        ok = close(fd) == 0 && ok
        guard ok, rename(temporary, path) == 0 else {
            let failure = ok ? errorText() : writeError
            unlink(temporary)
            throw EditError("\(path): cannot replace: \(failure)")
        }
        syncDirectory(directory)
    }

    /// Creates `path` with `text` (mode 0644) and never replaces an existing file: the text is
    /// written and fsynced under a temp name, then hard-linked to `path`, which fails when `path`
    /// exists. Missing parent directories are created.
    public static func create(_ path: String, with text: String) throws(EditError) {
        let directory = parentDirectory(of: path)
        try makeDirectories(directory)
        let temporary = directory + "/." + (path.split(separator: "/").last.map(String.init) ?? "automation") + ".\(getpid()).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { throw EditError("\(temporary): cannot create: \(errorText())") }
        defer { unlink(temporary) }
        let ok = writeAll(fd, Array(text.utf8)) && fsync(fd) == 0
        let failure = errorText()
        close(fd)
        guard ok else { throw EditError("\(path): cannot write: \(failure)") }
        guard link(temporary, path) == 0 else {
            if errno == EEXIST { throw EditError("\(path) exists already; it was left as it is") }
            throw EditError("\(path): cannot create: \(errorText())")
        }
        syncDirectory(directory)
    }

    /// `mkdir -p`, mode 0755.
    static func makeDirectories(_ directory: String) throws(EditError) {
        var prefix = directory.hasPrefix("/") ? "" : "."
        for part in directory.split(separator: "/") {
            prefix += "/" + part
            if mkdir(prefix, 0o755) != 0, errno != EEXIST {
                throw EditError("\(prefix): cannot create the directory: \(errorText())")
            }
        }
    }

    /// Moves `<id>.toml` to `<id>.toml.removed` (then `.removed.2`, `.removed.3`, … so an earlier
    /// removed copy is never overwritten). The automation stops loading; the text stays for the
    /// user to restore by renaming it back. Returns the new path.
    public static func remove(_ path: String) throws(EditError) -> String {
        for attempt in 1...1_000 {
            let target = path + ".removed" + (attempt == 1 ? "" : ".\(attempt)")
            if link(path, target) == 0 {
                guard unlink(path) == 0 else {
                    let failure = errorText()
                    unlink(target)
                    throw EditError("\(path): cannot remove: \(failure)")
                }
                syncDirectory(parentDirectory(of: path))
                return target
            }
            guard errno == EEXIST else { throw EditError("\(path): cannot move to \(target): \(errorText())") }
        }
        throw EditError("\(path): 1,000 removed copies exist already; delete some of \(path).removed*")
    }

    static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { return false }
            offset += written
        }
        return true
    }

    private static func syncDirectory(_ directory: String) {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }

    private static func errorText() -> String { String(cString: strerror(errno)) }
}

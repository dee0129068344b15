#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PieSystem

/// Finds, when a policy is built, where `core.hooksPath` sends git's hooks, so that a hooks
/// directory inside a write root is protected like `.git/hooks`. Projects commonly commit their
/// hooks (`.githooks/`, `tools/hooks/`) and have developers run `git config core.hooksPath
/// .githooks`; a tool that rewrites such a hook runs code on the host at the user's next commit
/// (red-team finding 3). Protecting only known names (`**/.husky`) is a denylist.
///
/// The configuration is read the way git reads it for a repository: the system file, the global
/// files, the repository's `config` and `config.worktree`, following `include.path` and
/// `includeIf.*.path` (every condition counts as true: protecting too much is the safe side).
/// Every value found counts, not only the last one git would use.
public enum GitHooksPathLocator {
    /// git's own limit on nested includes.
    static let includeDepth = 10
    /// A configuration file larger than this is not read (git's are a few kilobytes).
    static let fileLimit = 1 << 20

    /// Protected entries, relative to the write roots, for every hooks directory that lies inside
    /// one. A relative value is relative to the working tree, i.e. to each root.
    public static func protectedEntries(
        writeRoots: [String], gitDirectories: [String], home: String, environment: [String: String]
    ) -> [String] {
        var files = ["/etc/gitconfig"]
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") {
            files.append(PathNormalizer.join(xdg, "git/config"))
        } else {
            files.append(PathNormalizer.join(home, ".config/git/config"))
        }
        files.append(PathNormalizer.join(home, ".gitconfig"))
        for directory in writeRoots.map({ PathNormalizer.join($0, ".git") }) + gitDirectories {
            files.append(PathNormalizer.join(directory, "config"))
            files.append(PathNormalizer.join(directory, "config.worktree"))
        }
        var values: [String] = []
        for file in files { collect(file, home: home, depth: 0, into: &values) }

        var entries: [String] = []
        for value in values {
            let expanded = PathNormalizer.expandHome(value, home: home) ?? value
            let candidates =
                PathBytes.isAbsolute(expanded)
                ? [PathNormalizer.normalize(expanded)]
                : writeRoots.map { PathNormalizer.normalize(PathNormalizer.join($0, expanded)) }
            for candidate in candidates {
                guard let entry = writeRoots.lazy.compactMap({ PathBytes.relative(candidate, to: $0) }).first,
                    !PathBytes.isDot(entry), !entries.contains(entry)
                else { continue }
                entries.append(entry)
            }
        }
        return entries
    }

    private static func collect(_ file: String, home: String, depth: Int, into values: inout [String]) {
        guard depth <= includeDepth, let text = contents(of: file) else { return }
        let directory = PathBytes.parent(file) ?? "/"
        for entry in GitConfigText.entries(text) {
            if entry.section == "core", entry.subsection == nil, entry.key == "hookspath" {
                values.append(entry.value)
            } else if entry.section == "include" || entry.section == "includeif", entry.key == "path" {
                let expanded = PathNormalizer.expandHome(entry.value, home: home) ?? entry.value
                let included = PathBytes.isAbsolute(expanded) ? expanded : PathNormalizer.join(directory, expanded)
                collect(PathNormalizer.normalize(included), home: home, depth: depth + 1, into: &values)
            }
        }
    }

    /// The text of a regular configuration file of at most `fileLimit` bytes; nil for anything
    /// else, as git reads no configuration it cannot open. `O_NONBLOCK`: a FIFO planted where a
    /// file is expected must not hang the policy.
    private static func contents(of path: String) -> String? {
        let fd: Int32
        do { fd = try FileIO.openFile(path, O_RDONLY | O_NONBLOCK) } catch { return nil }
        defer { FileIO.close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_size <= fileLimit else { return nil }
        do {
            return String(decoding: try FileIO.readToEnd(fd, path: path, limit: fileLimit), as: UTF8.self)
        } catch {
            return nil
        }
    }
}


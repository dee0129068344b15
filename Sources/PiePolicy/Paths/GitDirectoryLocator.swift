#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PieSystem

/// Finds, when a policy is built, the git directories of the write roots that are not named
/// `.git`: the directory a root's `.git` file points to (`gitdir: …`, as in a linked worktree or a
/// submodule), its common directory (`commondir`), and a root that is itself a bare repository.
/// A handful of `stat`/`read` calls per root; a `.git` directory needs nothing, since
/// `PathPolicy.classify` recognises it by name.
public enum GitDirectoryLocator {
    /// `gitdir:` and `commondir` files are one short line; anything longer is not git's.
    static let pointerLimit = 4096

    public static func locate(writeRoots: [String]) -> [String] {
        var found: [String] = []
        func add(_ directory: String) {
            if !found.contains(directory) { found.append(directory) }
        }
        for root in writeRoots {
            if isGitDirectory(root) { add(root) }
            guard let target = pointer(in: PathNormalizer.join(root, ".git"), prefix: "gitdir:"),
                let gitDirectory = PathResolver.realPath(PathNormalizer.join(root, target))
            else { continue }
            add(gitDirectory)
            if let common = pointer(in: PathNormalizer.join(gitDirectory, "commondir"), prefix: ""),
                let commonDirectory = PathResolver.realPath(PathNormalizer.join(gitDirectory, common))
            {
                add(commonDirectory)
            }
        }
        return found
    }

    /// git's own test for a git directory (setup.c `is_git_directory`): `HEAD`, `objects/` and
    /// `refs/` are all there.
    static func isGitDirectory(_ directory: String) -> Bool {
        kind(PathNormalizer.join(directory, "HEAD")) == S_IFREG
            && kind(PathNormalizer.join(directory, "objects")) == S_IFDIR
            && kind(PathNormalizer.join(directory, "refs")) == S_IFDIR
    }

    /// The first line of the regular file at `path` after `prefix`, trimmed; nil when it is not
    /// a small regular file that starts so.
    public static func pointer(in path: String, prefix: String) -> String? {
        guard kind(path) == S_IFREG else { return nil }
        let bytes: [UInt8]
        do {
            let fd = try FileIO.openFile(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK)
            defer { FileIO.close(fd) }
            bytes = try FileIO.readToEnd(fd, path: path, limit: pointerLimit - 1)
        } catch {
            return nil
        }
        guard !bytes.isEmpty, bytes.count < pointerLimit else { return nil }
        let line = bytes.split(separator: UInt8(ascii: "\n")).first ?? []
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix(prefix) else { return nil }
        let value = text.dropFirst(prefix.count).trimmingSpaces()
        return value.isEmpty ? nil : value
    }

    private static func kind(_ path: String) -> mode_t? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return info.st_mode & S_IFMT
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> String {
        String(drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" || $0 == "\r" }).reversed())
    }
}

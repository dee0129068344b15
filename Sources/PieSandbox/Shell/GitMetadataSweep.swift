import Glibc
import PiePolicy

/// The check after a sandboxed command for git metadata that could not be masked while it ran:
/// `commondir` and `gitdir` that were missing (`BubblewrapPlan.watched`), and
/// `.git` entries below the writable roots that the plan's walk did not find (a new nested
/// repository, whose config git would trust). Each one that appeared is removed before pie
/// returns, and the command is reported as failed: git would otherwise read config and hooks the
/// command wrote, the next time the user runs it on the host. New `.pie` entries below the roots
/// go the same way: a missing `.pie` at a root is masked while the command runs, but one in a
/// subdirectory cannot be, and pie started there later would load its memories, policy and hooks.
public enum GitMetadataSweep {
    /// One removed entry, for the outcome's warnings and the audit log.
    struct Removal: Equatable {
        var path: String
        var removed: Bool

        var message: String {
            if PathBytes.lastComponent(path) == ".pie" {
                return removed
                    ? "the command created '\(path)', pie's project directory (memories, policy, hooks a session started "
                        + "there would load); pie removed it and reports the command as failed"
                    : "the command created '\(path)', pie's project directory (memories, policy, hooks a session started "
                        + "there would load), and pie could not remove it: delete it before starting pie there"
            }
            return removed
                ? "the command created '\(path)', which redirects git to other config and hooks; pie removed it "
                    + "and reports the command as failed"
                : "the command created '\(path)', which redirects git to other config and hooks, and pie could "
                    + "not remove it: delete it before running git here"
        }
    }

    /// Removes every path of `watched` that exists now and every `.git` or `.pie` entry below
    /// `roots` that is not in `known` (a symlink itself, never its target).
    static func sweep(_ watched: [String], roots: [String], known: Set<PathKey>) -> [Removal] {
        var removals: [Removal] = []
        let appeared = entries(named: [".git", ".pie"], below: roots).filter { !known.contains(PathKey($0)) }
        for path in watched + appeared {
            var info = stat()
            guard lstat(path, &info) == 0 else { continue }
            removals.append(Removal(path: path, removed: remove(path, isDirectory: info.st_mode & S_IFMT == S_IFDIR)))
        }
        return removals
    }

    /// The sweep when pie starts, for a run that ended before its own sweep (pie killed during a
    /// command): git writes `commondir` and `gitdir` only in `worktrees/<id>/`, so one directly in
    /// a `.git` directory of a writable root (the root's own or one the bounded walk finds) is not
    /// git's. Each is removed; the messages say what it held, so a user who made it can restore it.
    public static func atStartup(_ paths: PathPolicy) -> [String] {
        var messages: [String] = []
        let roots = paths.writeRoots.filter { kindOf($0) == S_IFDIR }
        let directories = roots.map { $0 + "/.git" } + gitEntries(below: roots)
        for directory in directories where kindOf(directory) == S_IFDIR {
            for name in GitMetadataMounts.watchedWhenMissing {
                let path = directory + "/" + name
                guard let kind = kindOf(path) else { continue }
                let held = kind == S_IFREG ? GitDirectoryLocator.pointer(in: path, prefix: "").map { " ('\($0)')" } : nil
                if remove(path, isDirectory: kind == S_IFDIR) {
                    messages.append(
                        "removed '\(path)'\(held ?? ""): git never writes \(name) there, and it redirects git to other "
                            + "config and hooks (a pie command may have been interrupted before pie's check)")
                } else {
                    messages.append(
                        "'\(path)' redirects git to other config and hooks and pie could not remove it: delete it "
                            + "before running git here")
                }
            }
        }
        return messages
    }

    private static func kindOf(_ path: String) -> mode_t? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return info.st_mode & S_IFMT
    }

    /// `.git` entries below `roots` (not the roots' own), within the bounds of the plan's walk.
    static func gitEntries(below roots: [String]) -> [String] {
        entries(named: [".git"], below: roots)
    }

    /// Entries called one of `names` below `roots` (not the roots' own), within the bounds of the
    /// plan's walk.
    static func entries(named names: Set<String>, below roots: [String]) -> [String] {
        var found: [String] = []
        var queue = roots.map { ($0, 0) }
        var visited = 0
        var index = 0
        while index < queue.count, visited < BubblewrapPlan.denyWalkEntryLimit {
            let (directory, depth) = queue[index]
            index += 1
            let fd = open(directory, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard fd >= 0 else { continue }
            for entry in DirectoryReader.entries(of: fd) {
                visited += 1
                let path = directory + "/" + entry.name
                // The same entries the plan's walk visits (it enters a `.pie`), so both see as far.
                if names.contains(entry.name), depth > 0 { found.append(path) }
                if entry.kind == .directory, depth + 1 < BubblewrapPlan.denyWalkDepth,
                    !BubblewrapPlan.denyWalkSkipped.contains(entry.name)
                {
                    queue.append((path, depth + 1))
                }
            }
        }
        return found
    }

    /// Deletes `path`, and a directory with everything in it (without following symlinks).
    private static func remove(_ path: String, isDirectory: Bool) -> Bool {
        guard isDirectory else { return unlink(path) == 0 }
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return false }
        for entry in DirectoryReader.entries(of: fd) {
            let child = path + "/" + entry.name
            _ = remove(child, isDirectory: entry.kind == .directory)
        }
        return rmdir(path) == 0
    }
}

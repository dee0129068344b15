/// Which entries of a git directory a tool may write: an allowlist of what git itself writes to
/// commit and fetch (gitrepository-layout(5)), everything else refused.
///
/// git reads configuration, hooks, attributes and other directories' paths from its git directory
/// and runs programs they name (`core.fsmonitor`, `core.hooksPath`, `hooks/*`, filter drivers,
/// `commondir` pointing at another directory's config). A denylist of those names misses the next
/// one; this allowlist names what may change and refuses the rest.
public enum GitLayout {
    /// Plain files git rewrites while committing, merging and fetching (each also with `.lock`).
    public static let writableFiles: Set<String> = [
        "HEAD", "index", "packed-refs", "COMMIT_EDITMSG", "ORIG_HEAD", "FETCH_HEAD", "MERGE_HEAD", "MERGE_MSG",
        "MERGE_MODE", "AUTO_MERGE", "CHERRY_PICK_HEAD", "REVERT_HEAD", "shallow", "gc.pid", "gc.log",
    ]
    /// Directories whose whole content is data git writes (refs, reflogs); `objects` is handled on
    /// its own because `objects/info/alternates` redirects object lookup.
    public static let writableTrees: Set<String> = ["refs", "logs"]
    /// Entries of `objects/info` that are data (pack list, commit graph), not pointers elsewhere.
    public static let writableObjectInfo: Set<String> = ["packs", "commit-graph", "commit-graphs"]

    /// Entries git reads as configuration, programs or pointers to other directories, with why:
    /// the reasons named in refusals. Any other entry outside the allowlist is refused too.
    public static let dangerous: [String: String] = [
        "config": "git runs programs its settings name (core.fsmonitor, core.hooksPath, core.pager, aliases)",
        "config.worktree": "it is read as configuration like 'config' (extensions.worktreeConfig)",
        "commondir": "it makes git read config and hooks from another directory",
        "gitdir": "it tells git where a worktree lives",
        "hooks": "git runs the programs in it",
        "info": "attributes there select filter and diff programs, and exclude/sparse-checkout change what git sees",
        "modules": "it holds submodules' git directories",
        "worktrees": "it holds linked worktrees' git directories",
        "branches": "it names remote URLs (legacy remotes)",
        "remotes": "it names remote URLs (legacy remotes)",
        "rebase-merge": "its todo list runs 'exec' commands on 'git rebase --continue'",
        "rebase-apply": "it holds a rebase in progress that git resumes",
        "sequencer": "its todo list runs commands on 'git cherry-pick --continue'",
        "rr-cache": "its existence turns on rerere, which rewrites conflict resolutions",
        "description": "it is not needed to commit or fetch",
    ]

    /// Every top-level name this layout knows, allowed or not: where a submodule's git directory
    /// may begin inside `modules/` (module names may contain `/`).
    static let knownNames: Set<String> = writableFiles.union(writableTrees).union(dangerous.keys).union(["objects"])

    /// nil when a write to `components` (relative to a git directory) is what git needs to commit or
    /// fetch; otherwise a sentence naming the entry and why it stays read-only.
    public static func refusal(_ components: ArraySlice<String>) -> String? {
        guard let first = components.first else {
            return "a '.git' entry (a directory, or a 'gitdir:' file pointing anywhere) would make a repository "
                + "whose config and hooks git trusts"
        }
        let rest = components.dropFirst()
        if writableTrees.contains(first) { return nil }
        if rest.isEmpty, isWritableFile(first) { return nil }
        switch first {
        case "objects":
            // `objects/INFO/alternates` is `objects/info/alternates` on a case-insensitive file system.
            guard let info = rest.first, CaseFold.equal(Array(info.utf8), "info"), rest.count > 1 else { return nil }
            let entry = rest[rest.startIndex + 1]
            if entry == "commit-graphs" || (rest.count == 2 && isWritable(entry, in: writableObjectInfo)) {
                return nil
            }
            return "'objects/info/\(entry)' is not among the entries git writes there "
                + "(objects/info/alternates makes git read objects from another directory)"
        case "worktrees" where rest.count > 1:
            return refusal(rest.dropFirst())
        case "modules" where !rest.isEmpty:
            return moduleRefusal(rest)
        default:
            let why = dangerous[first] ?? "it is not among the entries git needs to commit and fetch"
            return "'\(first)' in a git directory stays read-only: \(why)"
        }
    }

    /// Inside `modules/`, a submodule's git directory starts after a name of one or more
    /// components. Every place where a known layout name could start it must be allowed, so an
    /// ambiguous path is judged by its strictest reading.
    private static func moduleRefusal(_ components: ArraySlice<String>) -> String? {
        var sawStart = false
        var index = components.startIndex + 1
        while index < components.endIndex {
            if knownNames.contains(components[index]) || knownNames.contains(lockless(components[index])) {
                sawStart = true
                if let refusal = refusal(components[index...]) { return refusal }
            }
            index += 1
        }
        return sawStart ? nil : "a new entry in 'modules/' would be a submodule git directory whose config git trusts"
    }

    private static func isWritableFile(_ name: String) -> Bool { isWritable(name, in: writableFiles) }

    private static func isWritable(_ name: String, in names: Set<String>) -> Bool {
        names.contains(name) || names.contains(lockless(name))
    }

    /// `name` without a trailing `.lock` (git writes `X.lock`, then renames it over `X`).
    private static func lockless(_ name: String) -> String {
        name.hasSuffix(".lock") ? String(name.dropLast(5)) : name
    }
}

import Foundation
import Testing

@testable import PiePolicy

/// `PathPolicy.classify(.write)` closes git directories wherever they are, by an allowlist of
/// what git writes to commit and fetch (`GitLayout`), and protects `**/NAME` entries at any depth.
@Suite("Git directory and nested protected names") struct GitDirectoryTests {
    let paths = PathPolicy(
        projectRoot: "/p", readRoots: [], writeRoots: ["/p"], deny: [],
        protected: ["**/.vscode", "**/.envrc", ".bashrc"], home: "/p/home", gitDirectories: ["/p/gd-target"])

    func rule(_ relative: String) -> String? {
        if case .denied(let rule, _) = paths.classify("/p/" + relative, access: .write) { return rule }
        return nil
    }

    @Test(arguments: [
        ".git/config", ".git/config.worktree", ".git/commondir", ".git/hooks/pre-commit", ".git/info/attributes",
        ".git/info/exclude", ".git/objects/info/alternates", ".git/objects/info/http-alternates",
        ".git/modules/m/config", ".git/modules/a/b/hooks/post-checkout", ".git/modules/new", ".git/modules/x/y",
        ".git/worktrees/w/commondir", ".git/worktrees/w/gitdir", ".git/worktrees/w/config.worktree", ".git/worktrees/w",
        ".git/remotes/origin", ".git/branches/origin", ".git/rebase-merge/git-rebase-todo", ".git/sequencer/todo",
        ".git/rr-cache/x", ".git/description", ".git/unknown", ".git", "sub/.git", "sub/.git/config",
        "a/b/c/.git/hooks/x", ".git/refs/heads/.git", ".git/refs/x/.git/config", "gd-target/config",
        "gd-target/commondir", "bare/HEAD", ".git/modules/m/refs/heads/config",
    ])
    func gitMetadataBeyondTheAllowlistIsRefused(_ relative: String) {
        #expect(rule(relative) == "path.git_metadata")
    }

    @Test(arguments: [
        ".git/HEAD", ".git/HEAD.lock", ".git/index", ".git/index.lock", ".git/packed-refs", ".git/packed-refs.lock",
        ".git/refs/heads/main", ".git/refs/heads/main.lock", ".git/logs/HEAD", ".git/logs/refs/heads/x",
        ".git/objects/ab/cdef", ".git/objects/pack/pack-1.pack", ".git/objects/info/packs",
        ".git/objects/info/commit-graphs/graph-1.graph", ".git/COMMIT_EDITMSG", ".git/ORIG_HEAD", ".git/FETCH_HEAD",
        ".git/MERGE_HEAD", ".git/MERGE_MSG", ".git/MERGE_MODE", ".git/modules/m/objects/ab/cd",
        ".git/modules/a/b/refs/heads/main", ".git/worktrees/w/HEAD", ".git/worktrees/w/index", "sub/.git/refs/x",
        "gd-target/refs/heads/main", "gd-target/HEAD", ".github/workflows/ci.yml", "src/git/config", "x.git/config",
    ])
    func whatGitWritesToCommitAndFetchIsAllowed(_ relative: String) {
        #expect(rule(relative) == nil)
    }

    @Test func refusalsNameTheEntryAndWhy() {
        guard case .denied(_, let reason) = paths.classify("/p/.git/commondir", access: .write) else {
            Issue.record("commondir was writable")
            return
        }
        #expect(reason.contains("'commondir' in a git directory stays read-only"))
        #expect(reason.contains("read config and hooks from another directory"))
    }

    @Test func readsOfGitMetadataStayAllowed() {
        #expect(paths.classify("/p/.git/config", access: .read) == .allowed(root: "/p"))
    }

    @Test(arguments: ["sub/.vscode/tasks.json", "a/b/c/.envrc", ".vscode", ".envrc", ".bashrc", "home/.bashrc"])
    func protectedNamesHoldAtAnyDepthAndStartUpFilesAtHome(_ relative: String) {
        #expect(rule(relative) == "path.protected")
    }

    @Test func startUpFilesBelowTheRootOutsideHomeAreOrdinaryFiles() {
        #expect(rule("sub/.bashrc") == nil)
        #expect(paths.protectedAbsolutePaths == ["/p/.vscode", "/p/.envrc", "/p/.bashrc"])
    }

    @Test func theLocatorFindsAGitdirFileTargetAndItsCommonDirectory() throws {
        let main = try TempDirectory()
        defer { main.remove() }
        try main.directory("repo/.git/worktrees/w")
        try main.file("repo/.git/worktrees/w/commondir", "../..\n")
        try main.file("checkout/.git", "gitdir: ../repo/.git/worktrees/w\n")
        try main.file("bare/HEAD", "ref: refs/heads/main\n")
        try main.directory("bare/objects")
        try main.directory("bare/refs")
        let found = GitDirectoryLocator.locate(writeRoots: [main.path + "/checkout", main.path + "/bare"])
        #expect(found == [main.path + "/repo/.git/worktrees/w", main.path + "/repo/.git", main.path + "/bare"])
        let policy = try buildPolicy(cwd: main.path + "/checkout", preset: .hardened).policy
        #expect(policy.paths.gitDirectories == [main.path + "/repo/.git/worktrees/w", main.path + "/repo/.git"])
    }

    @Test(arguments: PolicyPreset.allCases)
    func everyPresetClosesTheGitDirectory(_ preset: PolicyPreset) throws {
        let project = try TempDirectory()
        defer { project.remove() }
        let paths = try buildPolicy(cwd: project.path, preset: preset).policy.paths
        for relative in [".git/commondir", ".git/config", "sub/.git", "sub/.vscode/tasks.json", "a/.envrc"] {
            if case .allowed = paths.classify(project.path + "/" + relative, access: .write) {
                Issue.record("\(preset) lets tools write \(relative)")
            }
        }
    }
}

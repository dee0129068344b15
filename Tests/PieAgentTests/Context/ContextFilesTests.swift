import Testing

@testable import PieAgent

@Suite struct ContextFilesTests {
    @Test func walksFromGlobalThenRootDownToCwdPreferringAgentsMd() throws {
        let dir = try TemporaryDirectory()
        try dir.write("global/AGENTS.md", "global rules")
        try dir.write("repo/AGENTS.md", "repo agents")
        try dir.write("repo/CLAUDE.md", "repo claude (ignored: AGENTS.md wins)")
        try dir.write("repo/pkg/CLAUDE.md", "pkg claude")
        try dir.write("repo/pkg/src/.keep", "")

        let files = ContextFiles.discover(
            cwd: dir.file("repo/pkg/src"), globalDirectory: dir.file("global"), fileSystem: LocalContextFileSystem())
        let ours = files.filter { $0.path.hasPrefix(dir.path) }
        #expect(ours.map(\.path) == [dir.file("global/AGENTS.md"), dir.file("repo/AGENTS.md"), dir.file("repo/pkg/CLAUDE.md")])
        #expect(ours.map(\.content) == ["global rules", "repo agents", "pkg claude"])
    }

    @Test func ancestorsRunFromCwdToRoot() {
        #expect(ContextFiles.ancestors(of: "/a/b") == ["/a/b", "/a", "/"])
        #expect(ContextFiles.ancestors(of: "/") == ["/"])
    }
}

import PiePolicy
import Testing

@testable import PieAgent

@Suite("gitignore and glob matching")
struct GitIgnoreTests {
    private func ignored(_ rules: String, _ path: String, directory: Bool = false) -> Bool {
        GitIgnore(rules).verdict(relativePath: path.split(separator: "/"), isDirectory: directory) == true
    }

    @Test func componentGlobs() {
        #expect(GlobPattern("*.ts").matches(name: "a.ts"))
        #expect(!GlobPattern("*.ts").matches(name: "a.tsx"))
        #expect(GlobPattern("a?c").matches(name: "abc"))
        #expect(GlobPattern("[a-c]x").matches(name: "bx"))
        #expect(!GlobPattern("[!a-c]x").matches(name: "bx"))
        #expect(GlobPattern("\\*").matches(name: "*"))
        #expect(!GlobPattern("\\*").matches(name: "a"))
        #expect(GlobPattern("*é*").matches(name: "café"))
    }

    @Test func doubleStarMatchesAnyDepth() {
        let glob = GlobPattern("src/**/*.spec.ts")
        #expect(glob.matches(components: ["src", "a.spec.ts"]))
        #expect(glob.matches(components: ["src", "x", "y", "a.spec.ts"]))
        #expect(!glob.matches(components: ["lib", "a.spec.ts"]))
        #expect(GlobPattern("**/*.json").matches(components: ["a.json"]))
    }

    @Test func unanchoredMatchesAnyLevel() {
        #expect(ignored("*.log", "a/b/c.log"))
        #expect(ignored("build", "x/build", directory: true))
    }

    @Test func anchoredMatchesFromTheIgnoreFile() {
        #expect(ignored("/build", "build", directory: true))
        #expect(!ignored("/build", "x/build", directory: true))
        #expect(ignored("docs/*.md", "docs/a.md"))
        #expect(!ignored("docs/*.md", "docs/sub/a.md"))
    }

    @Test func trailingSlashIsDirectoriesOnly() {
        #expect(ignored("out/", "out", directory: true))
        #expect(!ignored("out/", "out", directory: false))
    }

    @Test func negationAndLastRuleWins() {
        let rules = "*.log\n!keep.log\n# comment\n\n"
        #expect(ignored(rules, "a.log"))
        #expect(!ignored(rules, "keep.log"))
        #expect(GitIgnore(rules).verdict(relativePath: ["keep.log"], isDirectory: false) == false)
    }

    @Test func escapesAndComments() {
        #expect(ignored("\\#notes", "#notes"))
        #expect(!ignored("#notes", "#notes"))
        #expect(ignored("\\!bang", "!bang"))
    }

    @Test func nestedStackAppliesInnerRulesLast() {
        let stack = GitIgnoreStack()
            .adding(GitIgnore("*.tmp"), in: "/p")
            .adding(GitIgnore("!special.tmp"), in: "/p/sub")
        #expect(stack.isIgnored("/p/a.tmp", isDirectory: false))
        #expect(stack.isIgnored("/p/other/special.tmp", isDirectory: false))
        #expect(!stack.isIgnored("/p/sub/special.tmp", isDirectory: false))
    }
}

import Testing

@testable import PiePolicy

@Suite("Allowlist matching")
struct ShellAllowlistMatchingTests {
    @Test func exactWordOnly() {
        #expect(ShellFixtures.evaluate("ls", ShellFixtures.balanced).allowed)
        #expect(!ShellFixtures.evaluate("lsof", ShellFixtures.balanced).allowed)
        #expect(!ShellFixtures.evaluate("lsattr x", ShellFixtures.balanced).allowed)
        #expect(!ShellFixtures.evaluate("l", ShellFixtures.balanced).allowed)
    }

    @Test func quoteRemovalBeforeMatching() {
        #expect(ShellFixtures.evaluate("'l''s'", ShellFixtures.strict).allowed)
        #expect(ShellFixtures.evaluate("l\\s", ShellFixtures.strict).allowed)
        #expect(ShellFixtures.evaluate("\"ls\"", ShellFixtures.strict).allowed)
        #expect(ShellFixtures.evaluate("$'l\\x73'", ShellFixtures.strict).allowed)
    }

    @Test func prefixWildcardFromContext() {
        let extras = ["cargo-*"]
        #expect(ShellFixtures.evaluate("cargo-nextest run", ShellFixtures.strict, extraAllowed: extras).allowed)
        #expect(!ShellFixtures.evaluate("cargox", ShellFixtures.strict, extraAllowed: extras).allowed)
        #expect(!ShellFixtures.evaluate("cargo build", ShellFixtures.strict, extraAllowed: extras).allowed)
        #expect(!ShellFixtures.evaluate("cargo-x/../../sh", ShellFixtures.strict, extraAllowed: extras).allowed)
    }

    @Test func pathEntriesMatchOnlyThatPath() {
        let extras = ["./scripts/build.sh", "/usr/bin/make"]
        #expect(ShellFixtures.evaluate("./scripts/build.sh --fast", ShellFixtures.strict, extraAllowed: extras).allowed)
        #expect(!ShellFixtures.evaluate("scripts/build.sh", ShellFixtures.strict, extraAllowed: extras).allowed)
        #expect(!ShellFixtures.evaluate("build.sh", ShellFixtures.strict, extraAllowed: extras).allowed)
        #expect(ShellFixtures.evaluate("/usr/bin/make", ShellFixtures.strict, extraAllowed: extras).allowed)
        #expect(!ShellFixtures.evaluate("make", ShellFixtures.strict, extraAllowed: extras).allowed)
        #expect(!ShellFixtures.evaluate("/usr/bin/ls", ShellFixtures.strict).allowed)
    }

    @Test func pathWildcardCannotClimbOut() {
        let extras = ["./scripts/*"]
        #expect(ShellFixtures.evaluate("./scripts/a.sh", ShellFixtures.strict, extraAllowed: extras).allowed)
        #expect(!ShellFixtures.evaluate("./scripts/../../bin/sh", ShellFixtures.strict, extraAllowed: extras).allowed)
    }

    @Test func execRulesFollowTheBaseNameOfAPath() {
        let extras = ["/usr/bin/find"]
        let decision = ShellFixtures.evaluate("/usr/bin/find . -delete", ShellFixtures.strict, extraAllowed: extras)
        #expect(decision.rule == "exec_argument")
    }

    @Test func patternsInRules() {
        let patterns = CommandNamePatterns(["git", "cargo-*", "./bin/x"])
        #expect(patterns.matches("git"))
        #expect(!patterns.matches("gitk"))
        #expect(patterns.matches("cargo-fmt"))
        #expect(!patterns.matches("cargo-fmt/x"))
        #expect(patterns.matches("./bin/x"))
        #expect(!patterns.matches("bin/x"))
    }

    @Test func emptyAllowlistAllowsAnyCommand() {
        let rules = BashRules(name: "open", allowedCommands: [])
        #expect(ShellFixtures.evaluate("python3 -c 1", rules).allowed)
    }
}

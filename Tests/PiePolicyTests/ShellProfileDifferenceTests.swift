import Testing

@testable import PiePolicy

@Suite("Profiles differ only by their data")
struct ShellProfileDifferenceTests {
    /// Allowed by balanced, denied by strict with the given rule.
    static let cases: [ShellDeniedCase] = [
        .init("sed -i s/a/b/ f", "exec_argument"),
        .init("sed -ni.bak 's/a/b/p' f", "exec_argument"),
        .init("find . -delete", "exec_argument"),
        .init("find . -name '*.txt' -exec grep x -- {} +", "exec_argument"),
        .init("fd -e txt -x wc -l --", "exec_argument"),
        .init("awk --assign x=1 '{print x}' f", "exec_argument"),
        .init("echo $(ls)", "substitution"),
        .init("diff <(ls a) <(ls b)", "substitution"),
        .init("eval ls", "eval"),
        .init("sleep 1 &", "background"),
        .init("ls &", "background"),
        .init("git status", "allowed_commands"),
        .init("nohup ls", "allowed_commands"),
    ]

    @Test(arguments: cases) func balancedAllowsStrictDenies(_ testCase: ShellDeniedCase) {
        let balanced = ShellFixtures.evaluate(testCase.command, ShellFixtures.balanced)
        #expect(balanced.allowed, "\(testCase.command.debugDescription): \(balanced.reason)")
        let strict = ShellFixtures.evaluate(testCase.command, ShellFixtures.strict)
        #expect(!strict.allowed)
        #expect(strict.rule == testCase.rule, "\(testCase.command.debugDescription): \(strict.reason)")
    }

    @Test func switchesComeFromTheRules() {
        var rules = ShellFixtures.strict
        rules.allowSubstitutions = true
        rules.allowBackground = true
        #expect(ShellFixtures.evaluate("echo $(ls) &", rules).allowed)
        rules.allowedCommands = ["echo"]
        let decision = ShellFixtures.evaluate("echo $(ls)", rules)
        #expect(decision.rule == "allowed_commands")
        #expect(decision.reason.contains("(allowed: echo)"))
    }

    @Test func redirectionChecksCanBeSwitchedOff() {
        var rules = ShellFixtures.strict
        #expect(ShellFixtures.evaluate("echo x > /etc/x", rules).rule == "redirect")
        rules.checkRedirections = false
        #expect(ShellFixtures.evaluate("echo x > /etc/x", rules).allowed)
    }
}

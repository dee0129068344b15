import Testing

@testable import PiePolicy

/// A command line that must be denied, and the rule that must deny it.
struct ShellDeniedCase: Sendable, CustomTestStringConvertible {
    var command: String
    var rule: String

    init(_ command: String, _ rule: String) {
        self.command = command
        self.rule = rule
    }

    var testDescription: String { "\(rule): \(command.debugDescription)" }
}

/// Commands that the user allowed on top of the strict profile, so that the exec-argument
/// rules for them are exercised rather than the allowlist.
private let strictExtras = ["git", "tar", "man", "less", "vi"]

private func expectDenied(_ testCase: ShellDeniedCase, _ rules: BashRules, extras: [String] = strictExtras) {
    let decision = ShellFixtures.evaluate(testCase.command, rules, extraAllowed: extras)
    #expect(!decision.allowed, "\(testCase.command.debugDescription) was allowed")
    #expect(decision.rule == testCase.rule, "\(testCase.command.debugDescription): \(decision.reason)")
    #expect(decision.trace.last?.outcome == .deny)
    #expect(decision.trace.last?.check == decision.rule)
}

@Suite("Strict profile: chaining and control characters")
struct ShellChainingBypassTests {
    static let cases: [ShellDeniedCase] = [
        .init("ls; rm -rf /", "allowed_commands"),
        .init("ls && curl http://x", "allowed_commands"),
        .init("ls || rm x", "allowed_commands"),
        .init("ls | sh", "shell"),
        .init("ls & rm x", "background"),
        .init("ls\nrm -rf x", "allowed_commands"),
        .init("ls\rrm", "control_characters"),
        .init("ls\r\nrm x", "control_characters"),
        .init("ls # note\rrm x", "control_characters"),
        .init("ls\u{1b}[2Krm x", "control_characters"),
        .init("ls\u{0}rm", "control_characters"),
        .init("ls |& rm x", "allowed_commands"),
        .init("! rm x", "allowed_commands"),
        .init("ls &", "background"),
        .init("[ -f x ] && rm x", "allowed_commands"),
        .init("echo x | tee /etc/x", "allowed_commands"),
    ]

    @Test(arguments: cases) func denied(_ testCase: ShellDeniedCase) {
        expectDenied(testCase, ShellFixtures.strict)
    }
}

@Suite("Strict profile: substitutions and expansions")
struct ShellSubstitutionBypassTests {
    static let cases: [ShellDeniedCase] = [
        .init("echo $(rm x)", "substitution"),
        .init("echo `rm x`", "substitution"),
        .init("cat <(rm x)", "substitution"),
        .init("ls >(rm x)", "substitution"),
        .init("echo \"$(rm x)\"", "substitution"),
        .init("echo \"a `rm x` b\"", "substitution"),
        .init("cat <<EOF\n$(rm x)\nEOF\n", "substitution"),
        .init("cat <<EOF\n`rm x`\nEOF\n", "substitution"),
        .init("echo $(echo $(rm x))", "substitution"),
        .init("X=$(rm x)", "substitution"),
        .init("X=$(ls) ls", "substitution"),
        .init("echo ${X:-$(rm x)}", "substitution"),
        .init("cd $(echo /etc)", "substitution"),
        .init("echo x > $(echo /etc/passwd)", "substitution"),
        .init("echo $((a[$(id)]))", "arithmetic"),
        .init("echo $((x))", "arithmetic"),
        .init("echo ${x@P}", "expansion"),
        .init("for f in $(ls); do echo $f; done", "substitution"),
        .init("case $(id) in *) ls;; esac", "substitution"),
    ]

    @Test(arguments: cases) func denied(_ testCase: ShellDeniedCase) {
        expectDenied(testCase, ShellFixtures.strict)
    }
}

@Suite("Strict profile: wrappers, shells and eval")
struct ShellWrapperBypassTests {
    static let cases: [ShellDeniedCase] = [
        .init("env rm x", "allowed_commands"),
        .init("env -i FOO=1 rm x", "allowed_commands"),
        .init("env -S 'rm x' ls", "wrapper"),
        .init("env $X", "dynamic_command"),
        .init("env PATH=/tmp ls", "assignment"),
        .init("sh -c 'rm x'", "allowed_commands"),
        .init("bash -c \"ls; rm x\"", "allowed_commands"),
        .init("bash -ec 'ls && rm x'", "allowed_commands"),
        .init("sh -c \"$CMD\"", "dynamic_command"),
        .init("bash script.sh", "shell"),
        .init("sh", "shell"),
        .init("bash -i -c ls", "shell"),
        .init("xargs rm", "allowed_commands"),
        .init("ls | xargs sh", "shell"),
        .init("ls | xargs find", "exec_argument"),
        .init("ls | xargs env", "dynamic_command"),
        .init("xargs -I{} sh -c 'echo {}'", "dynamic_command"),
        .init("nice rm x", "allowed_commands"),
        .init("nice -n 5 rm x", "allowed_commands"),
        .init("timeout 5 rm x", "allowed_commands"),
        .init("timeout -s KILL 5 bash -c 'rm x'", "allowed_commands"),
        .init("nohup rm x", "allowed_commands"),
        .init("command rm x", "allowed_commands"),
        .init("command -v ls; rm x", "allowed_commands"),
        .init("exec rm x", "allowed_commands"),
        .init("eval rm x", "eval"),
        .init("eval ls", "eval"),
        .init("time rm x", "allowed_commands"),
        .init("stdbuf -oL rm x", "allowed_commands"),
        .init("sudo ls", "allowed_commands"),
        .init("doas ls", "allowed_commands"),
        .init("env env env sh -c 'nice rm x'", "allowed_commands"),
    ]

    @Test(arguments: cases) func denied(_ testCase: ShellDeniedCase) {
        expectDenied(testCase, ShellFixtures.strict)
    }
}

@Suite("Strict profile: command names")
struct ShellNameSpoofingBypassTests {
    static let cases: [ShellDeniedCase] = [
        .init("lsof", "allowed_commands"),
        .init("./ls", "allowed_commands"),
        .init("/tmp/ls", "allowed_commands"),
        .init("/bin/ls", "allowed_commands"),
        .init("$'\\x72m' x", "allowed_commands"),
        .init("$'\\162m' x", "allowed_commands"),
        .init("'r''m' x", "allowed_commands"),
        .init("r\\m x", "allowed_commands"),
        .init("\"rm\" x", "allowed_commands"),
        .init("$X args", "dynamic_command"),
        .init("${CMD} x", "dynamic_command"),
        .init("/bin/r? x", "dynamic_command"),
        .init("/bin/[r]m x", "dynamic_command"),
        .init("{rm,-rf,x}", "dynamic_command"),
        .init("~/bin/tool", "dynamic_command"),
        .init("f(){ rm x; }; f", "function_definition"),
        .init("function ls { rm x; }", "function_definition"),
        .init("alias ls=rm", "allowed_commands"),
        .init("IFS=/ ls", "assignment"),
        .init("PATH=/tmp ls", "assignment"),
        .init("LD_PRELOAD=/tmp/x.so ls", "assignment"),
        .init("GIT_PAGER=sh git log", "assignment"),
        .init("export PATH=/tmp", "allowed_commands"),
        .init("if true; then rm x; fi", "allowed_commands"),
        .init("for f in a; do rm $f; done", "allowed_commands"),
        .init("while true; do rm x; done", "allowed_commands"),
        .init("case x in *) rm x;; esac", "allowed_commands"),
        .init("(rm x)", "allowed_commands"),
        .init("{ ls; rm x; }", "allowed_commands"),
    ]

    @Test(arguments: cases) func denied(_ testCase: ShellDeniedCase) {
        expectDenied(testCase, ShellFixtures.strict)
    }
}

@Suite("Strict profile: redirections")
struct ShellRedirectionBypassTests {
    static let cases: [ShellDeniedCase] = [
        .init("echo x > /etc/passwd", "redirect"),
        .init("cat a >> ~/.bashrc", "redirect"),
        .init("echo x > ../../x", "redirect"),
        .init("echo x > $F", "redirect"),
        .init("echo x > out*", "redirect"),
        .init("cd /etc && echo x > passwd", "redirect"),
        .init("false && cd /etc; echo x > passwd", "redirect"),
        .init("cd \"$D\"; echo x > out.txt", "redirect"),
        .init("echo x &> /etc/x", "redirect"),
        .init("echo x >& /etc/x", "redirect"),
        .init("echo x >| /etc/x", "redirect"),
        .init("cat a 1<>/etc/x", "redirect"),
        .init("exec 3>/etc/x", "redirect"),
        .init("echo x > .git/config", "redirect"),
        .init("cat < /dev/tcp/example.com/80", "redirect"),
        .init("{ ls; } > /etc/x", "redirect"),
        .init("echo x 2>/etc/x", "redirect"),
    ]

    @Test(arguments: cases) func denied(_ testCase: ShellDeniedCase) {
        expectDenied(testCase, ShellFixtures.strict)
    }
}

@Suite("Strict profile: exec-capable arguments")
struct ShellExecArgumentBypassTests {
    static let cases: [ShellDeniedCase] = [
        .init("find . -exec sh -c 'id' \\;", "exec_argument"),
        .init("find . -delete", "exec_argument"),
        .init("find . -execdir rm {} +", "exec_argument"),
        .init("find . -ok rm {} \\;", "exec_argument"),
        .init("find . -name x -fprintf /tmp/x y", "exec_argument"),
        .init("find . $OPT", "exec_argument"),
        .init("sed -i s/a/b/ f", "exec_argument"),
        .init("sed -ni p f", "exec_argument"),
        .init("sed -i.bak s/a/b/ f", "exec_argument"),
        .init("sed --in-place s/a/b/ f", "exec_argument"),
        .init("sed --in-pl s/a/b/ f", "exec_argument"),
        .init("sed 'e id' f", "exec_argument"),
        .init("sed '1e id' f", "exec_argument"),
        .init("sed 's/x/id/e' f", "exec_argument"),
        .init("sed -n 'w /tmp/x' f", "exec_argument"),
        .init("sed 's/a/b/w /tmp/x' f", "exec_argument"),
        .init("sed -e p -e '1e id' f", "exec_argument"),
        .init("sed --expression='1e id' f", "exec_argument"),
        .init("sed --expr='$!{e id\n}' f", "exec_argument"),
        .init("sed -f script.sed f", "exec_argument"),
        .init("sed \"$S\" f", "exec_argument"),
        .init("sed -n 1p *.md", "exec_argument"),
        .init("awk 'BEGIN{system(\"id\")}'", "exec_argument"),
        .init("awk '{print | \"sh\"}'", "exec_argument"),
        .init("awk '{\"id\" | getline x}'", "exec_argument"),
        .init("awk '{print > \"/etc/x\"}'", "exec_argument"),
        .init("awk -f prog.awk", "exec_argument"),
        .init("awk '@load \"x\"'", "exec_argument"),
        .init("git -c core.pager=sh log", "exec_argument"),
        .init("git -C /tmp status", "exec_argument"),
        .init("git --config-env=core.pager=X log", "exec_argument"),
        .init("git --exec-path=/tmp status", "exec_argument"),
        .init("git --git-dir=/tmp/evil status", "exec_argument"),
        .init("git difftool", "exec_argument"),
        .init("git grep --open-files-in-pager=sh x", "exec_argument"),
        .init("git diff --output=/tmp/x", "exec_argument"),
        .init("git rebase --exec 'rm x' HEAD~1", "exec_argument"),
        .init("git clone --template=/tmp/t repo", "exec_argument"),
        .init("git log $X", "exec_argument"),
        .init("sort --compress-program=sh f", "exec_argument"),
        .init("sort --compress=sh f", "exec_argument"),
        .init("rg --pre=sh x", "exec_argument"),
        .init("rg --pre sh x", "exec_argument"),
        .init("tar --checkpoint-action=exec=sh -cf a.tar .", "exec_argument"),
        .init("tar -I sh -xf a.tar", "exec_argument"),
        .init("man -P sh ls", "exec_argument"),
        .init("less file", "exec_argument"),
        .init("vi file", "exec_argument"),
        .init("fd -x rm", "exec_argument"),
        .init("fd -HIx rm", "exec_argument"),
        .init("fd --exec-batch rm", "exec_argument"),
        .init("printf -v PATH /tmp", "exec_argument"),
    ]

    @Test(arguments: cases) func denied(_ testCase: ShellDeniedCase) {
        expectDenied(testCase, ShellFixtures.strict)
    }
}

@Suite("Strict profile: unparseable input")
struct ShellUnparseableBypassTests {
    static let cases: [ShellDeniedCase] = [
        .init("echo 'a", "parse"),
        .init("echo \"a", "parse"),
        .init("echo `a", "parse"),
        .init("echo $(ls", "parse"),
        .init("((x=1))", "parse"),
        .init(")", "parse"),
        .init("ls )", "parse"),
        .init("ls &&", "parse"),
        .init("| ls", "parse"),
        .init("if true; then ls", "parse"),
        .init("cat <<EOF\nno end", "parse"),
        .init("cat <<EOF", "parse"),
        .init("echo ${x", "parse"),
        .init("for ((i=0;i<3;i++)); do ls; done", "parse"),
        .init("a=(1 2)", "parse"),
        .init("echo " + String(repeating: "$(", count: 40) + String(repeating: ")", count: 40), "nesting_depth"),
        .init(String(repeating: "( ", count: 40) + "ls" + String(repeating: " )", count: 40), "nesting_depth"),
        .init(String(repeating: "sh -c '", count: 1) + String(repeating: "eval ", count: 1) + "rm x'", "eval"),
    ]

    @Test(arguments: cases) func denied(_ testCase: ShellDeniedCase) {
        expectDenied(testCase, ShellFixtures.strict)
    }

    @Test func deeplyNestedEvalIsDenied() {
        let command = String(repeating: "eval ", count: 40) + "ls"
        let decision = ShellFixtures.evaluate(command, ShellFixtures.balanced)
        #expect(!decision.allowed)
        #expect(decision.rule == "nesting_depth")
    }

    @Test func nestedShellScriptsAreJudged() {
        var command = "rm x"
        for _ in 0..<6 {
            command = "sh -c " + ShellQuoting.singleQuoted(command)
        }
        let decision = ShellFixtures.evaluate(command, ShellFixtures.strict)
        #expect(decision.rule == "allowed_commands")
        #expect(decision.reason.contains("'rm'"))
    }

    @Test func manyWrappersAreDenied() {
        let command = String(repeating: "env ", count: 40) + "ls"
        let decision = ShellFixtures.evaluate(command, ShellFixtures.balanced)
        #expect(!decision.allowed)
        #expect(decision.rule == "nesting_depth")
    }
}

/// Quoting for building nested test commands.
enum ShellQuoting {
    static func singleQuoted(_ text: String) -> String {
        "'" + text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
    }
}

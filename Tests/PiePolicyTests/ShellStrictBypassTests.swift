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
        .init("echo $[x]", "arithmetic"),
        .init("echo ${arr[x]}", "expansion"),
        .init("echo ${!x}", "expansion"),
        .init("echo ${x:y}", "expansion"),
        .init("echo \"${x:-${y@P}}\"", "expansion"),
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
        .init("env -C /etc sh -c 'echo x > passwd'", "wrapper"),
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
        .init("for PATH in /tmp; do ls; done", "assignment"),
        .init("echo ${CDPATH:=/etc}", "assignment"),
        .init("echo \"${BASH_ENV=/tmp/x}\"", "assignment"),
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
        .init("git diff --output=/tmp/x", "write_operand"),
        .init("git diff --outp=/tmp/x", "exec_argument"),
        .init("git rebase --exe 'rm x' HEAD~1", "exec_argument"),
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
        .init("test -v 'a[$(id)]'", "exec_argument"),
        .init("[ -v 'a[$(id)]' ]", "exec_argument"),
        .init("X=-v; [ \"$X\" 'a[$(id)]' ]", "exec_argument"),
        .init("TAR_OPTIONS=--to-command=sh tar -xf a.tar", "assignment"),
        .init("RIPGREP_CONFIG_PATH=/tmp/rc rg x", "assignment"),
    ]

    @Test(arguments: cases) func denied(_ testCase: ShellDeniedCase) {
        expectDenied(testCase, ShellFixtures.strict)
    }
}

/// A command strict does not allow, added with `--allow-command`, is judged by balanced's rules
/// for it (`added_command_rules`): an allowlist of options and subcommands, and the files it
/// writes judged like redirections. Written from git(1), tar(1) and coreutils' own option lists.
@Suite("Strict profile: commands added with --allow-command")
struct ShellStrictAddedCommandTests {
    static let added = ["git", "tar", "tee", "touch", "mkdir", "install", "ln", "dd", "split", "csplit", "patch", "man"]

    static let denied: [ShellDeniedCase] = [
        // Options and subcommands no allowlist names, in every spelling.
        .init("git config core.fsmonitor 'touch /tmp/owned'", "exec_argument"),
        .init("git submodule add ../evil", "exec_argument"),
        .init("git -c core.hooksPath=/tmp log", "exec_argument"),
        .init("git --bare status", "exec_argument"),
        .init("git log --output=../x", "write_operand"),
        .init("git diff --ext-diff", "exec_argument"),
        .init("git status --untracked-files=all --frobnicate", "exec_argument"),
        .init("tar --to-command=sh -xf a.tar", "exec_argument"),
        .init("tar --use-compress=sh -cf a.tar src", "exec_argument"),
        .init("tar -xf evil.tar", "exec_argument"),
        .init("tar xf evil.tar", "exec_argument"),
        .init("tar -cf ../out.tar -- src", "write_operand"),
        .init("man -P sh ls", "exec_argument"),
        .init("man --html=firefox ls", "exec_argument"),
        // Write operands outside the write roots or into git metadata.
        .init("tee ../x", "write_operand"),
        .init("tee -a .git/config", "write_operand"),
        .init("touch ../x", "write_operand"),
        .init("touch .git/hooks/pre-commit", "write_operand"),
        .init("mkdir -p ../x", "write_operand"),
        .init("mkdir .git/hooks", "write_operand"),
        .init("install -m 755 a .git/hooks/pre-commit", "write_operand"),
        .init("ln -s /tmp/evil .git/hooks/pre-commit", "write_operand"),
        .init("dd if=a of=../x", "write_operand"),
        .init("split -l 10 f ../out", "write_operand"),
        .init("csplit -f ../x f 1", "write_operand"),
        .init("patch -p1 < fix.patch", "exec_argument"),
    ]

    static let allowed = [
        "git status --short", "git log --oneline -n 5", "git diff --stat", "tar -tf a.tar", "tar -cf out.tar -- src",
        "tee notes.txt", "touch notes.txt", "mkdir -p build/out", "dd if=a of=b", "split -l 10 f part",
        "man -k printf",
    ]

    @Test(arguments: denied) func deniedWhenAdded(_ testCase: ShellDeniedCase) {
        expectDenied(testCase, ShellFixtures.strict, extras: Self.added)
    }

    @Test(arguments: allowed) func allowedWhenAdded(_ command: String) {
        let decision = ShellFixtures.evaluate(command, ShellFixtures.strict, extraAllowed: Self.added)
        #expect(decision.allowed, "\(command.debugDescription): \(decision.reason)")
    }

    /// Not added, the same commands stay outside strict's allowlist; the lender's rules never
    /// widen what strict itself allows.
    @Test func theLendersRulesDoNotAllowAnything() {
        for command in Self.allowed {
            let decision = ShellFixtures.evaluate(command, ShellFixtures.strict)
            #expect(decision.rule == "allowed_commands", "\(command.debugDescription): \(decision.reason)")
        }
    }

    @Test func aProfileMayOnlyBorrowFromAnotherBuiltinProfile() throws {
        for source in ["strict", "mine", ""] {
            let toml = "name = \"strict\"\nallowed_commands = [\"ls\"]\nadded_command_rules = \"\(source)\"\n"
            #expect(throws: BashRulesError.self) { try BashRules(toml: toml, source: "mine.toml") }
        }
        let toml = "name = \"mine\"\nallowed_commands = [\"ls\"]\nadded_command_rules = \"balanced\"\n"
        #expect(try BashRules(toml: toml, source: "mine.toml").addedCommandRules == "balanced")
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
        .init("select x in a b; do rm x; done", "parse"),
        .init("[[ -v x ]]", "allowed_commands"),
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

    @Test(arguments: ["${x:-", "\"${x:-", "$(", "`", "( ", "{ ", "if true; then "])
    func hugeNestingNeverOverflows(_ opener: String) {
        let command = String(repeating: opener, count: 50_000) + "ls"
        let decision = ShellFixtures.evaluate(command, ShellFixtures.balanced)
        #expect(!decision.allowed)
        #expect(decision.trace.last?.outcome == .deny)
    }

    @Test func longFlatInputIsJudgedWholly() {
        let command = Array(repeating: "ls", count: 20_000).joined(separator: " | ") + " && rm x"
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

/// The same through the policy engine, as `pie --tool-policy-preset hardened --allow-command tar`
/// builds it: the red-team finding was `tar -xf evil.tar` planting a repository under hardened.
@Suite("Hardened: commands added with --allow-command, through the engine")
struct HardenedAddedCommandEngineTests {
    @Test func addedWritersAreJudgedUnderHardened() throws {
        let directory = try TempDirectory()
        defer { directory.remove() }
        try directory.file(".git/config", "[core]\n\trepositoryformatversion = 0\n")
        let flags = flagLayer([(.allowCommands, .list(["tar", "git", "touch"]))])
        let engine = try PolicyEngine(policy: buildPolicy(cwd: directory.path, preset: .hardened, flags: flags).policy)
        for (command, rule) in [
            ("tar -xf evil.tar", "exec_argument"), ("tar xf evil.tar", "exec_argument"),
            ("git config alias.st '!touch /tmp/owned'", "exec_argument"), ("touch .git/hooks/pre-commit", "write_operand"),
        ] {
            let decision = engine.evaluate(.bash(command: command, cwd: nil))
            #expect(!decision.allowed, "\(command) was allowed")
            #expect(decision.rule == rule, "\(command): \(decision.rule): \(decision.reason)")
        }
        #expect(engine.evaluate(.bash(command: "tar -tf a.tar", cwd: nil)).allowed)
        #expect(engine.evaluate(.bash(command: "git status --short", cwd: nil)).allowed)
    }
}

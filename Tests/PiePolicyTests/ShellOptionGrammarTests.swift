import Testing

@testable import PiePolicy

/// Exec-rule fields for option grammars the first allowlists could not express: options that end
/// the options (`python3 -m MOD ARG…`), nested subcommands (`git remote show`), denied operand
/// patterns (git's `TRANSPORT::ADDRESS` URLs) and tar's old-style bundled first word.
@Suite("Shell option grammar: terminating options, nested subcommands, denied operands, bundles")
struct ShellOptionGrammarTests {
    static let profile = """
        name = "grammar"
        option_allowlists = true
        allowed_commands = ["python3", "git", "tar"]
        check_redirections = true

        [[exec_rules]]
        command = "python3"
        flags = ["-q", "-u", "-B"]
        terminating_options = ["-c", "-m"]
        options_before_operands = true
        reason = "python3 runs code in the sandbox"

        [[exec_rules]]
        command = "git"
        flags = ["--no-pager"]
        subcommands = ["remote", "clone"]
        options_before_operands = true
        reason = "git: listed subcommands only"

        [[exec_rules]]
        command = "git"
        subcommand = "remote"
        flags = ["-v", "--verbose"]
        subcommands = ["show", "get-url"]
        options_before_operands = true
        reason = "git remote: only show and get-url"

        [[exec_rules]]
        command = "git"
        subcommand = "remote get-url"
        flags = ["--push", "--all"]
        reason = "git remote get-url only prints"

        [[exec_rules]]
        command = "git"
        subcommand = "remote show"
        flags = ["-n"]
        reason = "git remote show only prints"

        [[exec_rules]]
        command = "git"
        subcommand = "clone"
        flags = ["-q", "--quiet"]
        value_options = ["--depth"]
        deny_operands = ["*::*", "-*"]
        write_operands = "second"
        reason = "git clone: TRANSPORT::ADDRESS URLs run a remote helper program"

        [[exec_rules]]
        command = "tar"
        bundled_first_operand = true
        flags = ["-c", "-t", "-v", "-z"]
        value_options = ["-C"]
        write_options = ["-f"]
        unknown_write_options = ["-x"]
        deny_options = ["-I"]
        reason = "tar -x writes names from the archive and -I runs a program"
        """

    static let rules: BashRules = {
        do {
            return try BashRules(toml: profile, source: "grammar.toml")
        } catch {
            return BashRules(name: "unloadable-grammar: \(error)", allowedCommands: ["unloadable"])
        }
    }()

    func judge(_ command: String) -> Decision {
        ShellAnalyzer.evaluate(command, rules: Self.rules, context: ShellFixtures.context())
    }

    @Test func profileLoads() {
        #expect(Self.rules.name == "grammar")
    }

    @Test(arguments: [
        "python3 -m pytest -k foo -x --tb=short", "python3 -c 'print(1)' -W x --anything", "python3 -q -m http.server -b 127.0.0.1",
        "python3 -cprint -X", "python3 -u -m pytest \"$ARGS\"", "python3 script.py --flag",
    ])
    func wordsAfterATerminatingOptionAreOperands(_ command: String) {
        let decision = judge(command)
        #expect(decision.allowed, "\(command): \(decision.reason)")
    }

    @Test(arguments: ["python3 -X importtime -c x", "python3 -qX dev -m x", "python3 \"$OPT\" -m x"])
    func optionsBeforeATerminatingOptionAreStillJudged(_ command: String) {
        #expect(!judge(command).allowed, "\(command)")
    }

    @Test(arguments: [
        "git remote", "git remote -v", "git remote show origin", "git remote -v show -n origin",
        "git remote get-url --push origin", "git --no-pager remote get-url --all origin",
    ])
    func nestedSubcommandsPassWithTheirOwnOptions(_ command: String) {
        let decision = judge(command)
        #expect(decision.allowed, "\(command): \(decision.reason)")
    }

    @Test(arguments: [
        ("git remote add evil ext::sh", "subcommand 'add'"), ("git remote set-url origin x", "subcommand 'set-url'"),
        ("git remote show --push origin", "'git remote show'"), ("git remote get-url -n origin", "'git remote get-url'"),
        ("git remote \"$SUB\" x", "only known at run time"), ("git remote -v rename a b", "subcommand 'rename'"),
    ])
    func nestedSubcommandsAreAllowlisted(_ command: String, _ named: String) {
        let decision = judge(command)
        #expect(decision.rule == "exec_argument", "\(command): \(decision.reason)")
        #expect(decision.reason.contains(named), "\(command): \(decision.reason)")
    }

    @Test func aNestedRuleNeedsItsOwnTable() {
        let toml = """
            name = "x"
            option_allowlists = true
            allowed_commands = ["git"]
            [[exec_rules]]
            command = "git"
            subcommands = ["remote"]
            options_before_operands = true
            reason = "r"
            [[exec_rules]]
            command = "git"
            subcommand = "remote"
            subcommands = ["show"]
            reason = "r"
            [[exec_rules]]
            command = "git"
            subcommand = "show"
            reason = "a top-level show is not 'remote show'"
            """
        do {
            _ = try BashRules(toml: toml, source: "x.toml")
            Issue.record("a profile without a 'remote show' table loaded")
        } catch {
            #expect(error.description.contains("subcommand = \"remote show\""), "\(error)")
        }
    }

    @Test(arguments: [
        "git clone 'ext::sh -c touch% /tmp/owned' d", "git clone fd::3 d", "git clone -q 'EXT::sh' d",
        "git clone --depth 1 -- --upload-pack=x d", "git clone \"$URL\" d",
    ])
    func deniedOperandPatterns(_ command: String) {
        let decision = judge(command)
        #expect(decision.rule == "exec_argument", "\(command): \(decision.reason)")
    }

    @Test func operandPatternsNameTheMatch() {
        let decision = judge("git clone 'ext::sh -c x' d")
        #expect(decision.reason.contains("operand 'ext::sh -c x' (it matches '*::*')"), "\(decision.reason)")
        #expect(judge("git clone --depth 1 https://example.com/r.git d").allowed)
    }

    @Test(arguments: ["tar tvf a.tar", "tar cf out.tar src", "tar czfC out.tgz src dir", "tar -tf a.tar", "tar t"])
    func tarBundlesAreReadAsOptions(_ command: String) {
        let decision = judge(command)
        #expect(decision.allowed, "\(command): \(decision.reason)")
    }

    @Test(arguments: [
        ("tar xf a.tar", "exec_argument"), ("tar tIf sh a.tar", "exec_argument"), ("tar tWf a.tar", "exec_argument"),
        ("tar cf /etc/x.tar src", "write_operand"), ("tar cCf dir /etc/y.tar src", "write_operand"),
        ("tar \"$B\" a.tar", "exec_argument"),
    ])
    func tarBundlesAreJudged(_ command: String, _ rule: String) {
        let decision = judge(command)
        #expect(decision.rule == rule, "\(command): \(decision.reason)")
    }
}

import Testing

@testable import PiePolicy

/// A small profile written for these tests, so that each form of option and write operand is
/// exercised through the TOML loader and the judge exactly as a builtin profile is.
enum OptionAllowlistFixture {
    static let toml = """
        name = "fixture"
        option_allowlists = true
        allowed_commands = ["sortx", "cpx", "sedx", "ddx", "csplitx", "patchx", "tarx", "gitx", "hgx", "echox", "findx", "cd"]
        shells = ["sh"]

        [[wrappers]]
        command = "xargs"
        flags = ["-0"]
        default_command = "echo"
        appends_arguments = true

        [[exec_rules]]
        command = "cd"
        flags = ["-L", "-P"]
        options_complete = true
        reason = "cd"

        [[exec_rules]]
        command = "sortx"
        gnu_abbreviations = true
        number_options = true
        flags = ["-n", "--numeric-sort", "-r", "-u", "-K"]
        value_options = ["-k", "--key", "-t"]
        optional_value_options = ["--check"]
        write_options = ["-o", "--output"]
        deny_options = ["--compress-program"]
        reason = "sortx --compress-program runs a program"

        [[exec_rules]]
        command = "cpx"
        flags = ["-r", "-f"]
        target_directory_options = ["-t", "--target-directory"]
        write_operands = "last"
        reason = "cpx writes its destination"

        [[exec_rules]]
        command = "sedx"
        flags = ["-n"]
        in_place_options = ["-i", "--in-place"]
        script_options = ["-e"]
        script = "sed"
        deny_script_commands = ["e", "w"]
        reason = "sedx scripts can run commands"

        [[exec_rules]]
        command = "ddx"
        keyword_operands = ["if", "of", "bs", "count"]
        write_keywords = ["of"]
        reason = "ddx writes of="

        [[exec_rules]]
        command = "csplitx"
        write_options = ["-f", "--prefix"]
        value_options = ["-n"]
        default_write_targets = ["xx00"]
        reason = "csplitx writes xx00… or PREFIX00…"

        [[exec_rules]]
        command = "patchx"
        flags = ["-p1"]
        unknown_writes = true
        reason = "patchx writes the files its input names"

        [[exec_rules]]
        command = "tarx"
        flags = ["-t", "-v"]
        value_options = ["-f", "-C"]
        unknown_write_options = ["-x", "--extract"]
        reason = "tarx -x writes the archive's members"

        [[exec_rules]]
        command = "gitx"
        options_before_operands = true
        value_options = ["--namespace"]
        subcommands = ["log", "status"]
        reason = "gitx"

        [[exec_rules]]
        command = "gitx"
        subcommand = "log"
        flags = ["--oneline"]
        value_options = ["-n"]
        reason = "gitx log"

        [[exec_rules]]
        command = "gitx"
        subcommand = "status"
        flags = ["--short"]
        reason = "gitx status"

        [[exec_rules]]
        command = "findx"
        flags = ["-print", "-o"]
        exec_options = ["-exec"]
        reason = "findx"

        [[exec_rules]]
        command = "hgx"
        options_before_operands = true
        reason = "hgx"

        [[exec_rules]]
        command = "findx"
        flags = ["-print", "-o"]
        exec_options = ["-exec"]
        reason = "findx"

        [[exec_rules]]
        command = "hgx"
        subcommand = "log"
        flags = ["-v"]
        reason = "hgx log"

        [[exec_rules]]
        command = "echox"
        flags = ["-n", "-e"]
        options_before_operands = true
        stray_options_are_operands = true
        reason = "echox"

        [[exec_rules]]
        command = "extra"
        allowlist = false
        deny_options = ["--evil"]
        reason = "extra --evil runs a program"
        """

    static let rules: BashRules = {
        do {
            return try BashRules(toml: toml, source: "fixture.toml")
        } catch {
            return BashRules(name: "unloadable: \(error)", allowedCommands: ["unloadable"])
        }
    }()

    static func evaluate(_ command: String, extraAllowed: [String] = []) -> Decision {
        ShellFixtures.evaluate(command, rules, extraAllowed: extraAllowed)
    }
}

private func expectAllowed(_ command: String, extraAllowed: [String] = []) {
    let decision = OptionAllowlistFixture.evaluate(command, extraAllowed: extraAllowed)
    #expect(decision.allowed, "\(command.debugDescription): \(decision.rule): \(decision.reason)")
}

@discardableResult
private func expectDenied(_ command: String, _ rule: String, mentioning: [String] = []) -> Decision {
    let decision = OptionAllowlistFixture.evaluate(command)
    #expect(!decision.allowed, "\(command.debugDescription) was allowed")
    #expect(decision.rule == rule, "\(command.debugDescription): \(decision.rule): \(decision.reason)")
    #expect(decision.trace.last?.outcome == .deny)
    for text in mentioning {
        #expect(decision.reason.contains(text), "\(command.debugDescription): \(decision.reason) lacks \(text)")
    }
    return decision
}

@Suite("Option allowlists: reading options")
struct ShellOptionReadingTests {
    @Test func fixtureLoads() {
        #expect(OptionAllowlistFixture.rules.name == "fixture")
        #expect(OptionAllowlistFixture.rules.optionAllowlists)
    }

    @Test(arguments: [
        "sortx -n f", "sortx --numeric-sort f", "sortx -nr f", "sortx -k 2 f", "sortx -k2 f", "sortx -nrk2 f",
        "sortx --key=2 f", "sortx --key 2 f", "sortx -t , f", "sortx -t, f", "sortx -5 f", "sortx --check f",
        "sortx --check=quiet f", "sortx -- -W f", "sortx - f", "sortx -k \"$K\" f", "sortx -- \"$F\" *.txt",
        "sortx", "echox -----", "echox -n x", "echox --help", "echox -x -n", "cd \"$D\"", "cd -P sub",
        "echox -n --bad",
    ])
    func allowed(_ command: String) {
        expectAllowed(command)
    }

    @Test func undeclaredShortOptionIsNamedWithTheAllowedOnes() {
        let decision = expectDenied("sortx -W f", "exec_argument", mentioning: ["option '-W'", "'sortx'"])
        #expect(
            decision.reason
                == "option '-W' of 'sortx' is not among the options the 'fixture' bash profile allows for 'sortx' "
                + "(allowed: -o, --output, -k, --key, -t, --check, -n, --numeric-sort, -r, -u, -K, --)")
    }

    @Test(arguments: [
        ("sortx -Wexec f", "option '-W' in '-Wexec'"),
        ("sortx -We f", "option '-W' in '-We'"),
        ("sortx -nW f", "option '-W' in '-nW'"),
        ("sortx -nrW x f", "option '-W' in '-nrW'"),
        ("sortx --exec f", "option '--exec'"),
        ("sortx --exec=x f", "option '--exec=x'"),
        ("sortx --numeric-sort=1 f", "takes none"),
        ("sortx --out=x f", "an abbreviation of '--output'"),
        ("sortx --nu f", "write options in full"),
        ("sortx -x5 f", "option '-x'"),
    ])
    func undeclaredOrMisusedOptionsAreDenied(_ testCase: (String, String)) {
        expectDenied(testCase.0, "exec_argument", mentioning: [testCase.1])
    }

    @Test func deniedOptionQuotesTheReasonAndCatchesAbbreviations() {
        expectDenied("sortx --compress-program=sh f", "exec_argument", mentioning: ["runs a program"])
        expectDenied("sortx --compress=sh f", "exec_argument", mentioning: ["--compress-program"])
    }

    @Test(arguments: ["sortx $X f", "sortx \"$X\" f", "sortx *.txt", "sortx -n ${X}", "sortx f $(echo x)"])
    func runTimeWordsBeforeDoubleDashAreDenied(_ command: String) {
        let decision = OptionAllowlistFixture.evaluate(command)
        #expect(!decision.allowed, "\(command.debugDescription) was allowed")
    }

    @Test func argumentsAddedAtRunTimeMustFollowDoubleDash() {
        expectDenied("xargs sortx -n", "exec_argument", mentioning: ["only known at run time"])
        expectAllowed("xargs sortx -n --")
        expectAllowed("xargs -0 sortx -n -- ")
    }

    @Test func subcommandsAreAllowlistedAndFoundPastGlobalValues() {
        expectAllowed("gitx log --oneline -n 3")
        expectAllowed("gitx --namespace log status --short")
        let push = expectDenied("gitx push", "exec_argument")
        #expect(
            push.reason == "subcommand 'push' (allowed: log, status) of 'gitx' is not allowed by the 'fixture' bash profile")
        expectDenied("gitx log --output=x", "exec_argument", mentioning: ["'gitx log'"])
        expectDenied("gitx status --oneline", "exec_argument", mentioning: ["option '--oneline'"])
        expectDenied("gitx --namespace x push", "exec_argument", mentioning: ["subcommand 'push'"])
        expectDenied("gitx -c core.pager=sh log", "exec_argument", mentioning: ["option '-c'"])
        expectDenied("gitx \"$SUB\"", "exec_argument", mentioning: ["only known at run time"])
        expectDenied("gitx -- \"$SUB\" --output=x", "exec_argument", mentioning: ["could be any subcommand"])
        expectAllowed("hgx log -v")
        expectAllowed("hgx status --anything")
        expectDenied("hgx log --anything", "exec_argument", mentioning: ["'hgx log'"])
        expectDenied("hgx -- \"$SUB\" --anything", "exec_argument", mentioning: ["could be the subcommand"])
    }

    @Test func addedCommandsWithoutRuleRunWithAnyOptionAndTheTraceSaysSo() {
        let decision = OptionAllowlistFixture.evaluate("other --anything -xyz", extraAllowed: ["other"])
        #expect(decision.allowed, "\(decision.reason)")
        #expect(decision.trace.contains { $0.detail.contains("added with --allow-command and has no rule") })
        let denied = OptionAllowlistFixture.evaluate("extra --evil", extraAllowed: ["extra"])
        #expect(denied.rule == "exec_argument")
        #expect(OptionAllowlistFixture.evaluate("extra --fine", extraAllowed: ["extra"]).allowed)
    }

    @Test func allowlistedCommandsSayTheirOptionsWereChecked() {
        let decision = OptionAllowlistFixture.evaluate("sortx -n f")
        #expect(decision.trace.contains { $0.check == "exec_argument" && $0.detail.contains("in its allowlist") })
    }
}

@Suite("Option allowlists: words are bytes")
struct ShellOptionBytesTests {
    @Test func canonicallyEquivalentSpellingsAreNotTheListedOption() {
        expectAllowed("sortx -K f")
        // U+212A KELVIN SIGN equals "K" as a Swift String; getopt sees three other bytes.
        expectDenied("sortx -\u{212A} f", "exec_argument")
        expectDenied("sortx --numeric-sor\u{0074}\u{301} f", "exec_argument")
    }

    @Test func aDashWithACombiningMarkIsStillAnOption() {
        expectDenied("sortx -\u{301}o /etc/x f", "exec_argument")
    }

    @Test func aPlaceholderFollowedByACombiningMarkIsStillReplaced() {
        expectDenied("findx . -exec sortx -o {}\u{301} -- x \\;", "write_operand")
        expectAllowed("findx . -exec sortx -n -- {} \\;")
    }

    @Test func aSlashWithACombiningMarkIsStillAnAbsolutePath() {
        // The kernel opens '/\u{301}etc/x' from the root, not from the working directory.
        expectDenied("sortx -o /\u{301}etc/x f", "write_operand", mentioning: ["'/\u{301}etc/x'"])
        #expect(OptionAllowlistFixture.evaluate("echo x > /\u{301}etc/x").rule == "redirect")
        #expect(OptionAllowlistFixture.evaluate("cd sub; cat < /dev/tcp/\u{301}h/80").rule == "redirect")
    }

    @Test func onlyTheByteSemicolonEndsAnExecCommand() {
        let rule = ExecArgumentRule(command: "f", allowlist: true, flags: ["-o"], execOptions: ["-exec"], reason: "f")
        let words = ["-exec", "x", "\u{037E}", "-o", ";", "-o"].map { ShellWord(parts: [.literal($0, quoted: true)]) }
        let check = rule.check(words)
        #expect(check.denial == nil)
        #expect(check.commands.first?.compactMap(\.staticValue) == ["x", "\u{037E}", "-o"])
    }
}

@Suite("Option allowlists: write operands")
struct ShellWriteOperandTests {
    @Test(arguments: [
        "sortx -o out.txt f", "sortx --output=out.txt f", "sortx --output out.txt f", "sortx -oout.txt f",
        "sortx -no out.txt f", "sortx -o /work/project/sub/out f", "sortx -o /dev/null f",
        "cd sub && sortx -o out f", "cpx a b", "cpx a b dir", "cpx -t dir a b", "cpx --target-directory=dir a",
        "sedx -i s/a/b/ f", "sedx -i.bak s/a/b/ f", "sedx --in-place=.orig -e p f", "sedx -n p f",
        "ddx if=a of=b bs=1", "ddx if=/etc/hostname of=out", "csplitx -f part in 1", "csplitx in 1",
        "tarx -tvf a.tar", "tarx -C sub -tf a.tar",
    ])
    func allowed(_ command: String) {
        expectAllowed(command)
    }

    @Test(arguments: [
        ("sortx -o /etc/x f", "'/etc/x'"),
        ("sortx -o ../x f", "'/work/x'"),
        ("sortx --output=.git/config f", "'/work/project/.git/config'"),
        ("sortx -o.git/hooks/pre-commit f", "'/work/project/.git/hooks/pre-commit'"),
        ("sortx -no /tmp/x f", "'/tmp/x'"),
        ("sortx -o sub/../../x f", "'/work/x'"),
        ("cd /tmp && sortx -o x f", "'/tmp/x'"),
        ("cd sub; cd /etc; sortx -o passwd f", "'/etc/passwd'"),
        ("cpx hook .git/hooks/pre-commit", "'/work/project/.git/hooks/pre-commit'"),
        ("cpx pre-commit .git/hooks", "'/work/project/.git/hooks'"),
        ("cpx x/.git .", "'/work/project/.git'"),
        ("cpx a b /etc", "'/etc'"),
        ("cpx -t .git/hooks pre-commit", "'/work/project/.git/hooks'"),
        ("cpx -t . x/.git", "'/work/project/.git'"),
        ("cpx --target-directory=/etc a", "'/etc'"),
        ("cd /tmp && cpx /etc/x", "written into '.'"),
        ("sedx -i s/a/b/ .git/config", "'/work/project/.git/config'"),
        ("sedx -i s/a/b/ /etc/x", "'/etc/x'"),
        ("sedx -i'.git/hooks/*' s/a/b/ pre-commit", "'/work/project/.git/hooks/pre-commit'"),
        ("sedx '--in-place=/tmp/*' s/a/b/ f", "'/tmp/f'"),
        ("sedx -i/../../x s/a/b/ f", "'/work/x'"),
        ("ddx if=a of=/etc/x", "'/etc/x'"),
        ("ddx if=a of=.git/index.lock", "'/work/project/.git/index.lock'"),
        ("csplitx -f /tmp/p in 1", "'/tmp/p'"),
        ("cd /tmp && csplitx in 1", "'/tmp/xx00'"),
    ])
    func writesOutsideTheRootsAreDenied(_ testCase: (String, String)) {
        expectDenied(testCase.0, "write_operand", mentioning: [testCase.1])
    }

    @Test func theWriteOperandReasonNamesTheOptionAndCommand() {
        let decision = expectDenied("sortx -o /etc/x f", "write_operand")
        #expect(
            decision.reason
                == "'-o /etc/x' of 'sortx' writes '/etc/x', which is outside the write roots or protected")
    }

    @Test(arguments: [
        "sortx -o \"$F\" f", "sortx -o out* f", "cpx -- a \"$D\"", "cpx -- \"$A\" dir", "cpx -t \"$D\" a",
        "sedx -i s/a/b/ -- *.txt", "cd \"$D\"; sortx -o out f", "xargs cpx a --", "csplitx -f \"$P\" in 1",
    ])
    func writeTargetsOnlyKnownAtRunTimeAreDenied(_ command: String) {
        let decision = OptionAllowlistFixture.evaluate(command)
        #expect(!decision.allowed, "\(command.debugDescription) was allowed")
        #expect(decision.rule == "write_operand", "\(command.debugDescription): \(decision.reason)")
    }

    @Test func unknownWritesAreDenied() {
        expectDenied("patchx -p1", "exec_argument", mentioning: ["only known at run time"])
        expectDenied("tarx -xf a.tar", "exec_argument", mentioning: ["option '-x' in '-xf'"])
        expectDenied("tarx --extract -f a.tar", "exec_argument", mentioning: ["option '--extract'"])
    }

    @Test func keywordOperandsAreAllowlisted() {
        expectDenied("ddx if=a conv=notrunc", "exec_argument", mentioning: ["operand key 'conv='"])
        expectDenied("ddx a", "exec_argument", mentioning: ["expected KEY=VALUE"])
        expectDenied("ddx -- \"$X\"", "exec_argument", mentioning: ["only known at run time"])
    }

    @Test func writeChecksFollowCheckRedirections() {
        var rules = OptionAllowlistFixture.rules
        rules.checkRedirections = false
        #expect(ShellFixtures.evaluate("sortx -o /etc/x f", rules).allowed)
    }

    @Test func backupPathsFollowGNUSed() {
        #expect(backup("f", ".bak") == "f.bak")
        #expect(backup("dir/f", "old_*") == "dir/old_f")
        #expect(backup("dir/f", "bak/*") == "bak/f")
        #expect(backup("f", "*.*") == "f.f")
        #expect(backup("dir/f", "*\u{301}") == "dir/f\u{301}")
        #expect(backup("dir/f", "\u{600}/*") == "\u{600}/f")
    }

    private func backup(_ path: String, _ suffix: String) -> String? {
        let rule = ExecArgumentRule(command: "s", allowlist: true, inPlaceOptions: ["-i"], reason: "r")
        let check = rule.check([ShellWord(parts: [.literal("-i" + suffix, quoted: true)]),
                                ShellWord(parts: [.literal(path, quoted: true)])])
        return check.writeTargets.last?.path
    }
}

@Suite("Option allowlists: profile loading")
struct ShellOptionAllowlistLoadingTests {
    private func loadError(_ toml: String) -> BashRulesError? {
        do {
            _ = try BashRules(toml: toml, source: "custom.toml")
            return nil
        } catch {
            return error
        }
    }

    @Test func everyAllowedCommandNeedsAnAllowlist() throws {
        let error = try #require(loadError("""
            name = "x"
            option_allowlists = true
            allowed_commands = ["ls", "cat"]

            [[exec_rules]]
            command = "ls"
            flags = ["-l"]
            reason = "ls"
            """))
        #expect(error.source == "custom.toml")
        #expect(error.field == "allowed_commands")
        #expect(error.message.contains("'cat' has no [[exec_rules]] table listing its options"))
    }

    @Test func aDenylistRuleDoesNotCount() throws {
        let error = try #require(loadError("""
            name = "x"
            option_allowlists = true
            allowed_commands = ["ls"]

            [[exec_rules]]
            command = "ls"
            allowlist = false
            deny_options = ["-Z"]
            reason = "ls"
            """))
        #expect(error.message.contains("'ls' has no [[exec_rules]] table"))
    }

    @Test func wildcardsCannotHaveAllowlists() throws {
        let error = try #require(loadError("""
            name = "x"
            option_allowlists = true
            allowed_commands = ["cargo-*"]
            """))
        #expect(error.message.contains("'cargo-*' is a wildcard"))
    }

    @Test func wrappersAndShellsNeedNoRule() throws {
        #expect(loadError("""
            name = "x"
            option_allowlists = true
            allowed_commands = ["env", "sh"]
            shells = ["sh"]

            [[wrappers]]
            command = "env"
            """) == nil)
    }

    @Test func everyListedSubcommandNeedsItsOwnAllowlist() throws {
        let error = try #require(loadError("""
            name = "x"
            option_allowlists = true
            allowed_commands = ["g"]

            [[exec_rules]]
            command = "g"
            subcommands = ["log", "push"]
            options_before_operands = true
            reason = "g"

            [[exec_rules]]
            command = "g"
            subcommand = "log"
            reason = "g log"
            """))
        #expect(error.field == "exec_rules[0].subcommands")
        #expect(error.message.contains("subcommand 'push' of 'g'"))
    }

    @Test func writeOperandsNamesTheChoices() throws {
        let error = try #require(loadError("""
            name = "x"
            allowed_commands = []

            [[exec_rules]]
            command = "cp"
            write_operands = "first"
            reason = "cp"
            """))
        #expect(error.field == "exec_rules[0].write_operands")
        #expect(error.message.contains("none, all, second, last"))
    }

    @Test func withoutTheFlagRulesStayDenylists() throws {
        let rules = try BashRules(toml: """
            name = "x"
            allowed_commands = ["ls"]

            [[exec_rules]]
            command = "ls"
            deny_options = ["-Z"]
            reason = "ls"
            """, source: "custom.toml")
        #expect(!rules.optionAllowlists)
        #expect(ShellFixtures.evaluate("ls --anything", rules).allowed)
        #expect(ShellFixtures.evaluate("ls -Z", rules).rule == "exec_argument")
    }

    @Test func builtinStrictRequiresAllowlists() throws {
        let strict = try BashRules.builtin(named: "strict")
        #expect(strict.optionAllowlists)
        for command in strict.allowedCommands where strict.wrappersByCommand[command] == nil {
            #expect(strict.hasOptionAllowlist(command), "\(command)")
        }
    }
}

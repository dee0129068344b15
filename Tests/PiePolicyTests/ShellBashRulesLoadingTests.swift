import Testing

@testable import PiePolicy

@Suite("Bash profile loading")
struct ShellBashRulesLoadingTests {
    @Test(arguments: BashRules.builtinNames) func builtinProfilesLoad(_ name: String) throws {
        let rules = try BashRules.builtin(named: name)
        #expect(rules.name == name)
    }

    @Test func builtinAllowlists() throws {
        let strict = try BashRules.builtin(named: "strict")
        let balanced = try BashRules.builtin(named: "balanced")
        let permissive = try BashRules.builtin(named: "permissive")
        #expect(strict.allowedCommands.contains("ls"))
        #expect(!strict.allowedCommands.contains("rm"))
        #expect(!strict.allowedCommands.contains("git"))
        #expect(balanced.allowedCommands.contains("git"))
        #expect(balanced.allowedCommands.contains("rm"))
        #expect(permissive.allowedCommands.isEmpty)
        #expect(!strict.allowSubstitutions && !strict.allowEval && !strict.allowBackground)
        #expect(balanced.allowSubstitutions && balanced.checkRedirections)
        #expect(!permissive.checkRedirections)
    }

    @Test func unknownBuiltinNamesTheChoices() {
        #expect {
            try BashRules.builtin(named: "paranoid")
        } throws: { error in
            "\(error)".contains("permissive, balanced, strict")
        }
    }

    private func loadError(_ toml: String) -> BashRulesError? {
        do {
            _ = try BashRules(toml: toml, source: "custom.toml")
            return nil
        } catch {
            return error
        }
    }

    @Test func malformedTOMLNamesSourceAndLine() throws {
        let error = try #require(loadError("name = \"x\"\nallowed_commands = [\"ls\"\nallow_eval = true\n"))
        #expect(error.source == "custom.toml")
        #expect(error.line != nil)
        #expect(error.description.hasPrefix("custom.toml:"))
    }

    @Test func unknownFieldNamesFieldLineAndChoices() throws {
        let error = try #require(loadError("name = \"x\"\nallowed_commands = []\nallow_substitution = true\n"))
        #expect(error.field == "allow_substitution")
        #expect(error.line == 3)
        #expect(error.message.contains("allow_substitutions"))
        #expect(error.description == "custom.toml:3: field 'allow_substitution': \(error.message)")
    }

    @Test func wrongTypeNamesField() throws {
        let error = try #require(loadError("name = \"x\"\nallowed_commands = []\nallow_eval = \"yes\"\n"))
        #expect(error.field == "allow_eval")
        #expect(error.line == 3)
        #expect(error.message.contains("expected true or false"))
    }

    @Test func missingRequiredField() throws {
        let error = try #require(loadError("name = \"x\"\n"))
        #expect(error.field == "allowed_commands")
    }

    @Test func errorsInsideArrayTablesNameTheEntry() throws {
        let toml = """
            name = "x"
            allowed_commands = ["find"]

            [[exec_rules]]
            command = "find"
            reason = "ok"

            [[exec_rules]]
            command = "sed"
            deny_options = ["exec"]
            reason = "bad"
            """
        let error = try #require(loadError(toml))
        #expect(error.field == "exec_rules[1].deny_options")
        #expect(error.line == 10)
        #expect(error.message.contains("'exec' is not an option"))
    }

    @Test func unknownScriptLanguageNamesChoices() throws {
        let toml = "name = \"x\"\nallowed_commands = []\n[[exec_rules]]\ncommand = \"x\"\nscript = \"perl\"\nreason = \"r\"\n"
        let error = try #require(loadError(toml))
        #expect(error.field == "exec_rules[0].script")
        #expect(error.line == 5)
        #expect(error.message.contains("sed, awk"))
    }

    @Test func wrapperFieldsAreChecked() throws {
        let toml = "name = \"x\"\nallowed_commands = []\n[[wrappers]]\ncommand = \"nice\"\noperands = -1\n"
        let error = try #require(loadError(toml))
        #expect(error.field == "wrappers[0].operands")
        #expect(error.line == 5)
    }

    @Test func userProfileIsUsedAsData() throws {
        let toml = """
            name = "mine"
            allowed_commands = ["ls", "python3"]
            allow_substitutions = true

            [[exec_rules]]
            command = "python3"
            deny_options = ["-c"]
            reason = "inline programs are not reviewed"
            """
        let rules = try BashRules(toml: toml, source: "mine.toml")
        #expect(ShellFixtures.evaluate("python3 x.py && ls", rules).allowed)
        let nested = ShellFixtures.evaluate("echo $(python3 -c 1)", rules)
        #expect(nested.rule == "exec_argument")
        let inline = ShellFixtures.evaluate("python3 -c 1", rules)
        #expect(inline.rule == "exec_argument")
        #expect(inline.reason.contains("inline programs are not reviewed"))
    }
}

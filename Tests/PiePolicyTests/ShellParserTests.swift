import Testing

@testable import PiePolicy

@Suite("Shell parser")
struct ShellParserTests {
    private func parse(_ text: String) throws -> ShellScript {
        try ShellParser.parse(text)
    }

    private func simpleCommands(_ list: ShellList) -> [ShellSimpleCommand] {
        list.items.flatMap { $0.andOr.pipelines.flatMap(\.commands) }.compactMap {
            if case .simple(let command) = $0 { return command }
            return nil
        }
    }

    @Test func listsPipelinesAndAndOr() throws {
        let script = try parse("a; b && c || d | e & f\ng")
        #expect(script.list.items.count == 4)
        #expect(script.list.items[1].isBackground)
        #expect(script.list.items[1].andOr.pipelines.count == 3)
        #expect(script.list.items[1].andOr.pipelines[2].commands.count == 2)
    }

    @Test func quoteRemoval() throws {
        let script = try parse("'l''s' \"a b\" c\\ d $'\\x41\\n' \"\\$x\"")
        let words = simpleCommands(script.list)[0].words.map(\.staticValue)
        #expect(words == ["ls", "a b", "c d", "A\n", "$x"])
    }

    @Test func assignmentsAndRedirections() throws {
        let script = try parse("A=1 B+=2 cmd x=3 2>&1 >out <in")
        let command = simpleCommands(script.list)[0]
        #expect(command.assignments.map(\.name) == ["A", "B"])
        #expect(command.words.compactMap(\.staticValue) == ["cmd", "x=3"])
        #expect(command.redirections.map(\.op) == [.duplicateOutput, .output, .input])
        #expect(command.redirections[0].fileDescriptor == 2)
    }

    @Test func substitutionsAreNested() throws {
        let script = try parse("echo \"$(ls `pwd`)\" ${x:-$(id)} <(cat)")
        let words = simpleCommands(script.list)[0].words
        #expect(words[1].substitutions.map(\.kind) == [.command])
        #expect(words[2].substitutions.map(\.kind) == [.command])
        #expect(words[3].substitutions.map(\.kind) == [.processInput])
        let inner = simpleCommands(words[1].substitutions[0].body.list)[0]
        #expect(inner.words[1].substitutions.map(\.kind) == [.backquote])
    }

    @Test func hereDocuments() throws {
        let script = try parse("cat <<EOF; cat <<-'END'\nhello $(id)\nEOF\n\tliteral $(id)\n\tEND\nls")
        #expect(script.hereDocuments.count == 2)
        #expect(script.hereDocuments[0].substitutions.count == 1)
        #expect(script.hereDocuments[1].staticValue == "literal $(id)\n")
        #expect(simpleCommands(script.list).count == 3)
    }

    @Test func compoundCommands() throws {
        let script = try parse(
            "if a; then b; elif c; then d; else e; fi; while f; do g; done; for x in 1 2; do h; done; case y in z|w) i;; esac; (j); { k; }"
        )
        #expect(script.list.items.count == 6)
    }

    @Test func functionDefinitions() throws {
        let script = try parse("f() { ls; }")
        guard case .functionDefinition(let name, _) = script.list.items[0].andOr.pipelines[0].commands[0] else {
            Issue.record("not a function definition")
            return
        }
        #expect(name == "f")
    }

    @Test func patternsAreNotStatic() throws {
        let script = try parse("a* b? [c] {d,e} {} [ x")
        let words = simpleCommands(script.list)[0].words
        #expect(words.map(\.isPattern) == [true, true, true, true, false, false, false])
    }

    @Test(arguments: ["echo 'a", "(", ")", "a &&", "if a; then b", "echo $(", "cat <<EOF", "`", "a | | b", ";"])
    func syntaxErrors(_ text: String) {
        #expect(throws: ShellParseError.self) { try ShellParser.parse(text) }
    }

    @Test func sedScriptCommands() {
        let commands = SedScript.commands(in: "1,/x/!{s/a\\/b/c/gw out\n}; $e date\ny/ab/cd/;a\\\ne text")
        #expect(commands?.map(\.letter) == ["{", "s", "}", "e", "y", "a"])
        #expect(commands?[1].substituteFlags == ["g", "w"])
        #expect(SedScript.commands(in: "s/a/b") == nil)
        #expect(SedScript.commands(in: "k") == nil)
    }
}

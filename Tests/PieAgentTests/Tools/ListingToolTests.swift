import PiePolicy
import Testing
import PieJSON

@testable import PieAgent

@Suite("ls tool")
struct LsToolTests {
    let fixture = ToolFixture()

    @Test func sortsCaseInsensitivelyWithDirectorySlash() async {
        fixture.write("b.txt", "")
        fixture.write("A.txt", "")
        fixture.write(".hidden", "")
        fixture.write("dir/x", "")
        let result = await fixture.run(LsTool(), #"{"path":"."}"#)
        #expect(result.text == ".hidden\n.spill/\nA.txt\nb.txt\ndir/")
    }

    @Test func respectsGitignoreAndPolicyDeny() async {
        fixture.write(".gitignore", "*.log\n.spill/\n")
        fixture.write("a.log", "")
        fixture.write(".env", "SECRET=1")
        fixture.write("keep.txt", "")
        let result = await fixture.run(LsTool(), #"{}"#)
        #expect(result.text == ".gitignore\nkeep.txt")
    }

    @Test func limitNotice() async {
        for index in 0..<5 { fixture.write("f\(index)", "") }
        let result = await fixture.run(LsTool(), #"{"limit":2}"#)
        #expect(result.text == ".spill/\nf0\n\n[2 entries limit reached. Use limit=4 for more]")
        #expect(result.detailsJSON?["entryLimitReached"] == .integer(2))
    }

    @Test func errors() async {
        fixture.write("file.txt", "")
        #expect(await fixture.run(LsTool(), #"{"path":"nope"}"#).text == "Path not found: \(fixture.root)/nope")
        #expect(await fixture.run(LsTool(), #"{"path":"file.txt"}"#).text == "Not a directory: \(fixture.root)/file.txt")
        fixture.write("empty/.gitignore", "*\n")
        #expect(await fixture.run(LsTool(), #"{"path":"empty"}"#).text == "(empty directory)")
    }
}

@Suite("find tool")
struct FindToolTests {
    let fixture = ToolFixture()

    private func seed() {
        fixture.write(".gitignore", "node_modules/\n*.gen.ts\n.spill/\n")
        fixture.write("src/a.ts", "")
        fixture.write("src/a.gen.ts", "")
        fixture.write("src/deep/b.spec.ts", "")
        fixture.write("src/deep/.gitignore", "secret.ts\n")
        fixture.write("src/deep/secret.ts", "")
        fixture.write("node_modules/m/index.ts", "")
        fixture.write(".git/HEAD", "")
        fixture.write("README.md", "")
    }

    @Test func basenamePatternsMatchAtAnyDepth() async {
        seed()
        let result = await fixture.run(FindTool(), #"{"pattern":"*.ts"}"#)
        #expect(result.text == "src/a.ts\nsrc/deep/b.spec.ts")
    }

    @Test func slashPatternsMatchTheRelativePath() async {
        seed()
        #expect(await fixture.run(FindTool(), #"{"pattern":"src/**/*.spec.ts"}"#).text == "src/deep/b.spec.ts")
        #expect(await fixture.run(FindTool(), #"{"pattern":"src/*.ts"}"#).text == "src/a.ts")
    }

    @Test func directoriesHaveASlashAndPathScopesTheSearch() async {
        seed()
        #expect(await fixture.run(FindTool(), #"{"pattern":"deep"}"#).text == "src/deep/")
        #expect(await fixture.run(FindTool(), #"{"pattern":"*.ts","path":"src/deep"}"#).text == "b.spec.ts")
    }

    @Test func limitAndNoResults() async {
        seed()
        let limited = await fixture.run(FindTool(), #"{"pattern":"*","limit":2}"#)
        #expect(limited.text.hasSuffix("\n\n[2 results limit reached. Use limit=4 for more, or refine pattern]"))
        #expect(await fixture.run(FindTool(), #"{"pattern":"*.rs"}"#).text == "No files found matching pattern")
    }

    @Test func outsideTheReadRootsIsRefused() async {
        seed()
        fixture.policy.paths.readRoots = [fixture.root + "/src"]
        fixture.policy.paths.writeRoots = []
        let result = await fixture.run(FindTool(), #"{"pattern":"*.md"}"#)
        #expect(result.isError)
        #expect(result.text.contains("outside the readable roots"))
    }

    @Test func deniedPathsAreLeftOut() async {
        seed()
        fixture.write("private/key.md", "")
        fixture.policy.paths.deny.append("**/private")
        #expect(await fixture.run(FindTool(), #"{"pattern":"*.md"}"#).text == "README.md")
    }
}

@Suite("grep tool")
struct GrepToolTests {
    let fixture = ToolFixture()

    @Test func matchLinesAreRelativeWithLineNumbers() async {
        fixture.write("src/a.txt", "alpha\nbeta\ngamma\n")
        fixture.write("src/b.txt", "beta again\n")
        let result = await fixture.run(GrepTool(), #"{"pattern":"beta"}"#)
        #expect(result.text == "src/a.txt:2: beta\nsrc/b.txt:1: beta again")
    }

    @Test func contextLinesUseDashes() async {
        fixture.write("a.txt", "one\ntwo\nthree\nfour\n")
        let result = await fixture.run(GrepTool(), #"{"pattern":"three","context":1}"#)
        #expect(result.text == "a.txt-2- two\na.txt:3: three\na.txt-4- four")
    }

    @Test func singleFileUsesBasename() async {
        fixture.write("dir/f.swift", "let x = 1\n")
        #expect(await fixture.run(GrepTool(), #"{"pattern":"x","path":"dir/f.swift"}"#).text == "f.swift:1: let x = 1")
    }

    @Test func literalIgnoreCaseAndGlob() async {
        fixture.write("a.ts", "Call(x)\n")
        fixture.write("b.js", "call(x)\n")
        #expect(await fixture.run(GrepTool(), #"{"pattern":"call(x)","literal":true,"ignoreCase":true,"glob":"*.ts"}"#).text == "a.ts:1: Call(x)")
        #expect(await fixture.run(GrepTool(), #"{"pattern":"call(x)","literal":true}"#).text == "b.js:1: call(x)")
    }

    @Test func respectsGitignoreAndSkipsBinary() async {
        fixture.write(".gitignore", "ignored/\n")
        fixture.write("ignored/x.txt", "needle\n")
        fixture.write("bin.dat", bytes: Array("needle".utf8) + [0, 1, 2])
        fixture.write(".env", "needle=secret\n")
        fixture.write("ok.txt", "needle\n")
        #expect(await fixture.run(GrepTool(), #"{"pattern":"needle"}"#).text == "ok.txt:1: needle")
    }

    @Test func limitAndLongLineNotices() async {
        fixture.write("a.txt", (0..<5).map { "hit \($0) " + String(repeating: "z", count: 600) }.joined(separator: "\n"))
        let result = await fixture.run(GrepTool(), #"{"pattern":"hit","limit":2}"#)
        let lines = result.text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 4)
        #expect(lines[0].hasSuffix("... [truncated]"))
        #expect(lines[0].count == "a.txt:1: ".count + 500 + "... [truncated]".count)
        #expect(
            lines[3]
                == "[2 matches limit reached. Use limit=4 for more, or refine pattern. Some lines truncated to 500 chars. Use read tool to see full lines]")
    }

    @Test func noMatchesAndErrors() async {
        fixture.write("a.txt", "x\n")
        #expect(await fixture.run(GrepTool(), #"{"pattern":"nothing"}"#).text == "No matches found")
        #expect(await fixture.run(GrepTool(), #"{"pattern":"x","path":"missing"}"#).text == "Path not found: \(fixture.root)/missing")
        #expect(await fixture.run(GrepTool(), #"{"pattern":"("}"#).text.hasPrefix("regex parse error:"))
        #expect(
            await fixture.run(GrepTool(), #"{"pattern":"x","ignoreCase":"yes"}"#).text
                == #"Invalid arguments for grep: field 'ignoreCase' must be a boolean (got string "yes")"#)
    }
}

@Suite("listing byte limits")
struct ListingByteLimitTests {
    let fixture = ToolFixture()

    @Test func grepByteLimitNotice() async {
        fixture.policy.maxToolOutputBytes = 200
        fixture.write("a.txt", (0..<50).map { "match number \($0)" }.joined(separator: "\n"))
        let result = await fixture.run(GrepTool(), #"{"pattern":"match"}"#)
        #expect(result.text.hasSuffix("\n\n[200B limit reached]"))
        #expect(result.detailsJSON?["truncation"] != nil)
    }

    @Test func findAndLsByteLimitNotices() async {
        fixture.policy.maxToolOutputBytes = 100
        for index in 0..<40 { fixture.write("file-\(index).txt", "") }
        #expect(await fixture.run(FindTool(), #"{"pattern":"*.txt"}"#).text.hasSuffix("\n\n[100B limit reached]"))
        #expect(await fixture.run(LsTool(), #"{}"#).text.hasSuffix("\n\n[100B limit reached]"))
    }
}

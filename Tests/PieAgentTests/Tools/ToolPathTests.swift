import PieLocal
import PiePolicy
import Testing
import PieJSON

@testable import PieAgent

@Suite("tool paths and shared behaviour")
struct ToolPathTests {
    @Test func expandsLikePi() {
        #expect(ToolPath.expand("@src/a.ts", home: "/h") == "src/a.ts")
        #expect(ToolPath.expand("~", home: "/h") == "/h")
        #expect(ToolPath.expand("~/x", home: "/h") == "/h/x")
        #expect(ToolPath.expand("~user/x", home: "/h") == "~user/x")
        #expect(ToolPath.expand("a\u{00A0}b\u{202F}c", home: "/h") == "a b c")
    }

    @Test func resolvesAgainstCwdWithoutConfinement() {
        #expect(ToolPath.resolve("../x", cwd: "/p/q", home: "/h") == "/p/x")
        #expect(ToolPath.resolve("/etc/hosts", cwd: "/p", home: "/h") == "/etc/hosts")
    }

    @Test func readFallsBackToCurlyApostrophe() async {
        let fixture = ToolFixture()
        fixture.write("it\u{2019}s.txt", "curly")
        #expect(await fixture.run(ReadTool(), #"{"path":"it's.txt"}"#).text == "curly")
    }

    @Test func cancelledCallsReportPiAbort() async {
        let fixture = ToolFixture()
        fixture.write("a.txt", "x")
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return await fixture.run(ReadTool(), #"{"path":"a.txt"}"#)
        }
        #expect(await task.value.text == "Operation aborted")
    }

    @Test func toolSpecsCarryTheSchema() throws {
        let fixture = ToolFixture()
        let runner = ToolRunner(tools: CodingTools.all, context: fixture.context())
        let read = try #require(runner.toolSpecs.first)
        #expect(read.name == "read")
        #expect(read.parameters["additionalProperties"] == .bool(false))
        #expect(read.parameters["required"] == .array([.string("path")]))
    }

    @Test func mutatingToolsRunAlone() {
        #expect(CodingTools.all.filter(\.runsAlone).map(\.name) == ["bash", "edit", "write"])
    }
}

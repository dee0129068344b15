import PiePolicy
import Testing

@testable import PieAgent

@Suite("write tool")
struct WriteToolTests {
    let fixture = ToolFixture()

    @Test func createsParentsAndReportsBytes() async {
        let result = await fixture.run(WriteTool(), #"{"path":"deep/er/new.txt","content":"héllo"}"#)
        #expect(!result.isError)
        #expect(result.text == "Successfully wrote 6 bytes to deep/er/new.txt")
        #expect(fixture.read("deep/er/new.txt") == "héllo")
    }

    @Test func overwrites() async {
        fixture.write("a.txt", "old")
        _ = await fixture.run(WriteTool(), #"{"path":"a.txt","content":"new"}"#)
        #expect(fixture.read("a.txt") == "new")
    }

    @Test func policyWriteCap() async {
        fixture.policy.maxFileWriteBytes = 3
        let result = await fixture.run(WriteTool(), #"{"path":"a.txt","content":"toolong"}"#)
        #expect(result.isError)
        #expect(result.text == "Content is 7 bytes, over the policy's write limit of 3 bytes")
        #expect(fixture.read("a.txt") == nil)
    }

    @Test func missingContentIsRejected() async {
        let result = await fixture.run(WriteTool(), #"{"path":"a.txt"}"#)
        #expect(result.text == "Invalid arguments for write: missing required field 'content'")
    }
}

import Foundation
import PiePolicy
import PieSandbox
import Testing

@testable import PieAgent

/// The write and read tools over `ConfinedFileOperations` with names whose last scalar fuses with
/// the `/` after it into one grapheme cluster (U+0600, Prepend) or whose first scalar fuses with
/// the `/` before it (U+0301, U+200D): the backend splits on bytes, as the kernel does.
@Suite("write and read through grapheme-cluster paths")
struct GraphemePathWriteTests {
    let fixture = ToolFixture()

    @Test("a write into a directory whose name ends in U+0600 works", arguments: ["d\u{600}", "d\u{600}\u{600}", "\u{200D}", "e\u{301}", "x\r\n"])
    func writeIntoFusingDirectory(directory: String) async throws {
        let path = "\(directory)/sub/f.txt"
        let json = try String(decoding: JSONSerialization.data(withJSONObject: ["path": path, "content": "hello"]), as: UTF8.self)
        let result = await fixture.run(WriteTool(), json)
        #expect(!result.isError, "\(result.text)")
        #expect(fixture.bytes("\(directory)/sub/f.txt") == Array("hello".utf8))
        let names = try FileManager.default.contentsOfDirectory(atPath: fixture.root)
        #expect(names.contains { Array($0.utf8) == Array(directory.utf8) }, "\(names)")

        let read = await fixture.run(ReadTool(), try String(decoding: JSONSerialization.data(withJSONObject: ["path": path]), as: UTF8.self))
        #expect(read.text.contains("hello"), "\(read.text)")
    }

    @Test("a write cannot climb out of the root through a fused '..'", arguments: [
        "x\u{600}/../../", "x/../../\u{301}/../", "\u{200D}/../../", "a/\u{200D}/../../../",
    ])
    func escapeIsRefused(prefix: String) async throws {
        let outside = fixture.root + "-outside"
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: outside) }
        let name = PathBytes.lastComponent(outside)
        let path = "\(prefix)\(name)/pwned"
        let json = try String(decoding: JSONSerialization.data(withJSONObject: ["path": path, "content": "x"]), as: UTF8.self)
        let result = await fixture.run(WriteTool(), json)
        #expect(result.isError, "\(path.debugDescription) was written: \(result.text)")
        #expect(result.text.contains("outside"), "\(result.text)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside).isEmpty)
    }
}

import PiePolicy
import Testing
import PieJSON

@testable import PieAgent

@Suite("read tool")
struct ReadToolTests {
    let fixture = ToolFixture()
    let tool = ReadTool()

    private func numbered(_ count: Int) -> String {
        (1...count).map { "line \($0)" }.joined(separator: "\n")
    }

    @Test func readsWholeSmallFileWithoutLineNumbers() async {
        fixture.write("a.txt", "one\ntwo\n")
        let result = await fixture.run(tool, #"{"path":"a.txt"}"#)
        #expect(!result.isError)
        #expect(result.text == "one\ntwo\n")
    }

    @Test func offsetAndLimitWithMoreLinesNotice() async {
        fixture.write("a.txt", numbered(10))
        let result = await fixture.run(tool, #"{"path":"a.txt","offset":3,"limit":2}"#)
        #expect(result.text == "line 3\nline 4\n\n[6 more lines in file. Use offset=5 to continue.]")
    }

    @Test func offsetBeyondEnd() async {
        fixture.write("a.txt", "a\nb")
        let result = await fixture.run(tool, #"{"path":"a.txt","offset":5}"#)
        #expect(result.isError)
        #expect(result.text == "Offset 5 is beyond end of file (2 lines total)")
    }

    @Test func lineLimitTruncation() async {
        fixture.write("a.txt", numbered(2500))
        let result = await fixture.run(tool, #"{"path":"a.txt"}"#)
        #expect(result.text.hasSuffix("line 2000\n\n[Showing lines 1-2000 of 2500. Use offset=2001 to continue.]"))
        #expect(result.detailsJSON?["truncation"] != nil)
    }

    @Test func lineLimitTruncationFromOffset() async {
        fixture.write("a.txt", numbered(2500))
        let result = await fixture.run(tool, #"{"path":"a.txt","offset":101}"#)
        #expect(result.text.hasPrefix("line 101\n"))
        #expect(result.text.hasSuffix("\n\n[Showing lines 101-2100 of 2500. Use offset=2101 to continue.]"))
    }

    @Test func byteLimitTruncation() async {
        let line = String(repeating: "x", count: 99)
        fixture.write("big.txt", Array(repeating: line, count: 1000).joined(separator: "\n"))
        let result = await fixture.run(tool, #"{"path":"big.txt"}"#)
        // 512 lines of 99 bytes plus newlines fit in 51,200 bytes.
        #expect(result.text.hasSuffix("\n\n[Showing lines 1-512 of 1000 (50.0KB limit). Use offset=513 to continue.]"))
    }

    @Test func policyOutputCapWinsWhenSmaller() async {
        fixture.policy.maxToolOutputBytes = 1024
        fixture.write("a.txt", numbered(500))
        let result = await fixture.run(tool, #"{"path":"a.txt"}"#)
        #expect(result.text.contains("(1.0KB limit). Use offset="))
    }

    @Test func firstLineOverLimit() async {
        fixture.write("wide.txt", String(repeating: "y", count: 60 * 1024) + "\nshort")
        let result = await fixture.run(tool, #"{"path":"wide.txt"}"#)
        #expect(result.text == "[Line 1 is 60.0KB, exceeds 50.0KB limit. Use bash: sed -n '1p' wide.txt | head -c 51200]")
    }

    @Test func imageByMagicBytesDespiteExtension() async {
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 1, 2, 3]
        fixture.write("notes.txt", bytes: png)
        let result = await fixture.run(tool, #"{"path":"notes.txt"}"#)
        #expect(result.content.first == .text("Read image file [image/png]"))
        #expect(result.content.last == .image(mimeType: "image/png", data: png))
        #expect(result.content.last?.base64 == "iVBORw0KGgoAAAANAQID")
    }

    @Test func textNamedLikeImageIsText() async {
        fixture.write("logo.png", "just text")
        let result = await fixture.run(tool, #"{"path":"logo.png"}"#)
        #expect(result.text == "just text")
    }

    @Test func missingFileUsesNodeText() async {
        let result = await fixture.run(tool, #"{"path":"nope.txt"}"#)
        #expect(result.isError)
        #expect(result.text == "ENOENT: no such file or directory, access '\(fixture.root)/nope.txt'")
    }

    @Test func atPrefixAndTildeAreExpanded() async {
        fixture.write("a.txt", "at")
        fixture.write("home/h.txt", "home")
        #expect(await fixture.run(tool, #"{"path":"@a.txt"}"#).text == "at")
        #expect(await fixture.run(tool, #"{"path":"~/h.txt"}"#).text == "home")
    }

    @Test func imageSnifferFormats() {
        #expect(ImageSniffer.mimeType(of: [0xFF, 0xD8, 0xFF, 0xE0]) == "image/jpeg")
        #expect(ImageSniffer.mimeType(of: Array("GIF89a..".utf8)) == "image/gif")
        #expect(ImageSniffer.mimeType(of: Array("RIFF\u{0}\u{0}\u{0}\u{0}WEBPVP8 ".utf8)) == "image/webp")
        #expect(ImageSniffer.mimeType(of: Array("RIFF\u{0}\u{0}\u{0}\u{0}WAVE".utf8)) == nil)
        #expect(ImageSniffer.mimeType(of: [0x89, 0x50]) == nil)
    }
}

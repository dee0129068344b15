import PiePolicy
import Testing

@testable import PieAgent

@Suite("Truncation")
struct TruncationTests {
    @Test func formatSizeMatchesPi() {
        #expect(Truncation.formatSize(512) == "512B")
        #expect(Truncation.formatSize(50 * 1024) == "50.0KB")
        #expect(Truncation.formatSize(1536) == "1.5KB")
        #expect(Truncation.formatSize(3 * 1024 * 1024 / 2) == "1.5MB")
    }

    @Test func headKeepsWholeLinesByLineLimit() {
        let result = Truncation.head("a\nb\nc\nd", maxLines: 2, maxBytes: 100)
        #expect(result.content == "a\nb")
        #expect(result.truncatedBy == .lines)
        #expect(result.totalLines == 4)
        #expect(result.outputLines == 2)
    }

    @Test func headByBytesCountsJoiningNewlines() {
        let result = Truncation.head("aaa\nbbb\nccc", maxLines: 10, maxBytes: 7)
        #expect(result.content == "aaa\nbbb")
        #expect(result.truncatedBy == .bytes)
    }

    @Test func headFirstLineOverLimit() {
        let result = Truncation.head("aaaaaaaa\nb", maxLines: 10, maxBytes: 4)
        #expect(result.content == "")
        #expect(result.firstLineExceedsLimit)
    }

    @Test func headUntouchedWhenWithinLimits() {
        let result = Truncation.head("a\nb\n", maxLines: 3, maxBytes: 10)
        #expect(!result.truncated)
        #expect(result.content == "a\nb\n")
    }

    @Test func tailKeepsLastLines() {
        let result = Truncation.tail("a\nb\nc\nd", maxLines: 2, maxBytes: 100)
        #expect(result.content == "c\nd")
        #expect(result.truncatedBy == .lines)
    }

    @Test func tailPartialLastLineCutsOnUTF8Boundary() {
        let result = Truncation.tail("x\n" + String(repeating: "é", count: 10), maxLines: 10, maxBytes: 5)
        #expect(result.lastLinePartial)
        #expect(result.content == "éé")
        #expect(result.truncatedBy == .bytes)
    }

    @Test func linesSplitOnLFOnly() {
        #expect(Truncation.lines("a\r\nb\n").count == 3)
        #expect(Truncation.lines("a\r\nb\n")[0] == "a\r")
    }

    @Test func truncateLineUsesPiMarker() {
        let line = String(repeating: "x", count: 501)
        let cut = Truncation.truncateLine(line)
        #expect(cut.wasTruncated)
        #expect(cut.text == String(repeating: "x", count: 500) + "... [truncated]")
        #expect(Truncation.truncateLine(String(repeating: "x", count: 500)).wasTruncated == false)
    }
}

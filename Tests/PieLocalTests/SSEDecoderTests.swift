import Testing
@testable import PieLocal

@Suite struct SSEDecoderTests {
    private func decode(_ chunks: [String]) -> [SSEEvent] {
        var decoder = SSEDecoder()
        var events: [SSEEvent] = []
        for chunk in chunks { decoder.feed(Array(chunk.utf8)) { events.append($0) } }
        return events
    }

    @Test func joinsMultiLineDataAndNamesEvents() {
        let events = decode(["event: add\ndata: one\ndata: two\nid: 7\n\ndata:three\n\n"])
        #expect(events == [
            SSEEvent(type: "add", data: Array("one\ntwo".utf8), lastEventID: "7"),
            SSEEvent(type: "message", data: Array("three".utf8), lastEventID: "7"),
        ])
    }

    @Test(arguments: ["\n", "\r\n", "\r"])
    func acceptsEveryLineEnding(_ newline: String) {
        let events = decode(["data: a" + newline + newline + "data: b" + newline + newline])
        #expect(events.map(\.text) == ["a", "b"])
    }

    @Test func handlesCRLFSplitAcrossChunksAndLinesSplitAnywhere() {
        let stream = "data: {\"x\":1}\r\n\r\ndata: second\r\n\r\n"
        let bytes = Array(stream.utf8)
        for split in 1..<bytes.count {
            var decoder = SSEDecoder()
            var texts: [String] = []
            decoder.feed(Array(bytes[..<split])) { texts.append($0.text) }
            decoder.feed(Array(bytes[split...])) { texts.append($0.text) }
            #expect(texts == ["{\"x\":1}", "second"], "split at \(split)")
        }
    }

    @Test func ignoresCommentsUnknownFieldsAndEmptyEvents() {
        let events = decode([": keep-alive\n\nfoo: bar\n\nevent: ping\n\ndata\n\n"])
        #expect(events == [SSEEvent(type: "message", data: [], lastEventID: "")])
    }

    @Test func stripsOnlyOneLeadingSpaceAndKeepsColonsInValues() {
        let events = decode(["data:  two spaces: yes\n\n"])
        #expect(events.first?.text == " two spaces: yes")
    }

    @Test func dropsBOMEvenWhenSplit() {
        var decoder = SSEDecoder()
        var events: [String] = []
        decoder.feed([0xEF, 0xBB]) { events.append($0.text) }
        decoder.feed([0xBF] + Array("data: x\n\n".utf8)) { events.append($0.text) }
        #expect(events == ["x"])
    }

    @Test func honoursRetryAndIgnoresIDsWithNUL() {
        var decoder = SSEDecoder()
        var events: [SSEEvent] = []
        decoder.feed(Array("retry: 1500\nretry: soon\nid: a\u{0}b\ndata: x\n\n".utf8)) { events.append($0) }
        #expect(decoder.retryMilliseconds == 1500)
        #expect(events.first?.lastEventID == "")
    }

    @Test func discardsAnUnterminatedFinalEvent() {
        var decoder = SSEDecoder()
        var events: [SSEEvent] = []
        decoder.feed(Array("data: complete\n\ndata: incomplete\n".utf8)) { events.append($0) }
        decoder.finish()
        decoder.feed(Array("\n".utf8)) { events.append($0) }
        #expect(events.map(\.text) == ["complete"])
    }

    /// Feeding a stream in two pieces, split anywhere (inside a CRLF, inside a multi-byte
    /// character, right after a CR), gives the same events as feeding it whole.
    @Test func anySplitGivesTheSameEvents() {
        let stream = Array("\u{FEFF}: hi\r\nevent: é\rdata: 日本\r\ndata: x\n\nid: 9\r\rdata: 😀\r\n\r\ndata:\n\n".utf8)
        var whole = SSEDecoder()
        var expected: [SSEEvent] = []
        whole.feed(stream) { expected.append($0) }
        #expect(expected == [
            SSEEvent(type: "é", data: Array("日本\nx".utf8), lastEventID: ""),
            SSEEvent(type: "message", data: Array("😀".utf8), lastEventID: "9"),
            SSEEvent(type: "message", data: [], lastEventID: "9"),
        ])
        for split in 1..<stream.count {
            var decoder = SSEDecoder()
            var events: [SSEEvent] = []
            decoder.feed(Array(stream[..<split])) { events.append($0) }
            decoder.feed(Array(stream[split...])) { events.append($0) }
            #expect(events == expected, "split at \(split)")
        }
        var byteByByte = SSEDecoder()
        var events: [SSEEvent] = []
        for byte in stream { byteByByte.feed([byte]) { events.append($0) } }
        #expect(events == expected)
    }

    /// Line ends are looked up ahead of the cursor; many short lines of one kind in a chunk
    /// must each still end where they do.
    @Test func manyLinesInOneChunk() {
        for newline in ["\n", "\r", "\r\n"] {
            let stream = (0..<1000).map { "data: \($0)" + newline + newline }.joined()
            #expect(decode([stream]).map(\.text) == (0..<1000).map(String.init), "newline \(newline.debugDescription)")
        }
    }
}

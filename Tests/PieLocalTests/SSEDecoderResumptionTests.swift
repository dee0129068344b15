import Testing
import PieLocal

/// What a reconnecting client sends as `Last-Event-ID` (MCP's streamable HTTP resumes with it):
/// the id of the last complete event, including one without data, never of a cut-off event.
@Suite struct SSEDecoderResumptionTests {
    @Test func aDataLessEventSetsTheLastEventIDWithoutBeingDispatched() {
        var decoder = SSEDecoder()
        var events: [SSEEvent] = []
        decoder.feed(Array("id: prime-1\n\n".utf8)) { events.append($0) }
        #expect(events.isEmpty)
        #expect(decoder.lastEventID == "prime-1")
    }

    @Test func anEventCutOffBeforeItsBlankLineDoesNotMoveTheLastEventID() {
        var decoder = SSEDecoder()
        var events: [SSEEvent] = []
        decoder.feed(Array("id: e1\ndata: one\n\nid: e2\ndata: tw".utf8)) { events.append($0) }
        #expect(events.map(\.lastEventID) == ["e1"])
        #expect(decoder.lastEventID == "e1", "e2 never completed: resuming after it would lose it")
        decoder.finish()
        #expect(decoder.lastEventID == "e1")
    }

    @Test func retryIsReadAndAnIDWithNULIsIgnored() {
        var decoder = SSEDecoder()
        decoder.feed(Array("retry: 250\nid: a\u{0}b\ndata: x\n\nretry: soon\ndata: y\n\n".utf8)) { _ in }
        #expect(decoder.retryMilliseconds == 250, "a retry: that is not all digits is ignored")
        #expect(decoder.lastEventID == "")
    }
}

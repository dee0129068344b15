import PieJSON
import Testing

@testable import PieMCP

@Suite("stdio framing and JSON-RPC shapes") struct FramingTests {
    private func feed(_ framer: inout LineFramer, _ text: String) -> [LineFramer.Frame] {
        Array(text.utf8).withUnsafeBufferPointer { framer.feed($0) }
    }

    @Test func linesSplitAcrossChunks() {
        var framer = LineFramer(maxLineBytes: 100)
        #expect(feed(&framer, "{\"a\":1}\n{\"b\"") == [.line(Array("{\"a\":1}".utf8))])
        #expect(feed(&framer, ":2}\r\n\n\n{}") == [.line(Array("{\"b\":2}".utf8))])
        #expect(framer.finish() == .line(Array("{}".utf8)))
        #expect(framer.finish() == nil)
    }

    @Test func anOversizedLineIsDroppedWithoutBeingKept() {
        var framer = LineFramer(maxLineBytes: 8)
        #expect(feed(&framer, "12345").isEmpty)
        #expect(feed(&framer, "67890").isEmpty)
        #expect(feed(&framer, String(repeating: "x", count: 1000)).isEmpty)
        #expect(feed(&framer, "abc\nok\n") == [.oversized(1013), .line(Array("ok".utf8))])
        #expect(feed(&framer, "12345678\n") == [.line(Array("12345678".utf8))])
        #expect(feed(&framer, "123456789\n") == [.oversized(9)])
    }

    @Test func messagesAreClassified() throws {
        #expect(try JSONRPCMessage(["jsonrpc": "2.0", "id": 1, "method": "ping"]) == .request(id: 1, method: "ping", params: nil))
        #expect(
            try JSONRPCMessage(["jsonrpc": "2.0", "method": "notifications/progress", "params": ["progress": 1]])
                == .notification(method: "notifications/progress", params: ["progress": 1]))
        #expect(try JSONRPCMessage(["jsonrpc": "2.0", "id": "a", "result": [:]]) == .result(id: "a", result: [:]))
        #expect(
            try JSONRPCMessage(["jsonrpc": "2.0", "id": 3, "error": ["code": -32601, "message": "nope"]])
                == .error(id: 3, code: -32601, message: "nope", data: nil))
        #expect(
            try JSONRPCMessage(["jsonrpc": "2.0", "id": nil, "error": ["code": -32700, "message": "parse"]])
                == .error(id: nil, code: -32700, message: "parse", data: nil))
        let refusals: [(JSONValue, String)] = [
            ([1, 2], "not a JSON object"),
            (["jsonrpc": "1.0", "id": 1, "result": [:]], "\"jsonrpc\" is not \"2.0\""),
            (["jsonrpc": "2.0", "id": true, "method": "x"], "\"id\" is neither a string nor a number"),
            (["jsonrpc": "2.0", "method": 5], "\"method\" is not a string"),
            (["jsonrpc": "2.0", "method": "x", "params": "p"], "\"params\" of x is neither an object nor an array"),
            (["jsonrpc": "2.0", "result": [:]], "a result without an \"id\""),
            (["jsonrpc": "2.0", "id": 1, "error": ["message": "m"]], "an error response without an integer \"code\""),
            (["jsonrpc": "2.0", "id": 1], "neither a request, a notification nor a response"),
        ]
        for (value, reason) in refusals {
            #expect(throws: JSONRPCShapeError(reason)) { try JSONRPCMessage(value) }
        }
    }

    @Test func messagesAreWrittenOnOneLine() {
        let message = JSONRPCMessage.request(id: 7, method: "tools/call", params: ["text": "a\nb"]).json
        let line = JSONWriter.string(message)
        #expect(line == "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"text\":\"a\\nb\"}}")
        #expect(!line.contains("\n"))
        let error = JSONRPCMessage.error(id: "s", code: -32601, message: "Method not found", data: nil).json
        #expect(JSONWriter.string(error) == "{\"jsonrpc\":\"2.0\",\"id\":\"s\",\"error\":{\"code\":-32601,\"message\":\"Method not found\"}}")
    }
}

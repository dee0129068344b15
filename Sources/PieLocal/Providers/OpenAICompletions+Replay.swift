extension OpenAICompletions {
    /// Normalises a recorded Chat Completions SSE stream as `stream` does one arriving from a
    /// server, delivered in `chunkSize` pieces: the SSE decoder and the adapter's parser without
    /// the transport. For replaying captured streams, and for `make bench`'s decode throughput.
    /// A chunk the parser rejects is skipped, as a live stream's would end the turn.
    public static func replay(recorded stream: [UInt8], chunkSize: Int, emit: (StreamEvent) -> Void) {
        var decoder = SSEDecoder()
        var parser = Parser(toolCalls: ToolCallAssembler(idSeed: "replay"), secrets: [])
        stream.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let end = min(offset + max(chunkSize, 1), bytes.count)
                decoder.feed(UnsafeRawBufferPointer(rebasing: bytes[offset..<end])) { event in
                    try? parser.consume(event, emit: emit)
                }
                offset = end
            }
        }
        try? parser.finish(emit: emit)
    }
}

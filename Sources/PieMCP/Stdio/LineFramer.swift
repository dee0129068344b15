/// Splits a byte stream into newline-terminated lines (MCP's stdio framing: one JSON-RPC message
/// per line, no embedded newlines) with a cap on a line's length. A longer line is dropped as it
/// streams in, so memory stays bounded by the cap however long the line grows, and is reported as
/// `.oversized` once its newline arrives.
struct LineFramer {
    enum Frame: Equatable {
        case line([UInt8])
        /// A line of this many bytes (newline excluded) that was longer than the cap and dropped.
        case oversized(Int)
    }

    let maxLineBytes: Int
    private var buffer: [UInt8] = []
    /// Bytes of the current line dropped so far, while it is over the cap.
    private var discarding: Int?

    init(maxLineBytes: Int) {
        self.maxLineBytes = maxLineBytes
    }

    /// The complete lines in `chunk` (after what earlier chunks left), carriage returns before a
    /// newline removed, blank lines skipped.
    mutating func feed(_ chunk: UnsafeBufferPointer<UInt8>) -> [Frame] {
        var frames: [Frame] = []
        var start = 0
        while start < chunk.count {
            let newline = chunk[start...].firstIndex(of: UInt8(ascii: "\n"))
            let end = newline ?? chunk.count
            let piece = UnsafeBufferPointer(rebasing: chunk[start..<end])
            if let dropped = discarding {
                discarding = dropped + piece.count
            } else if buffer.count + piece.count > maxLineBytes {
                discarding = buffer.count + piece.count
                buffer = []
            } else {
                buffer.append(contentsOf: piece)
            }
            guard newline != nil else { break }
            if let dropped = discarding {
                frames.append(.oversized(dropped))
                discarding = nil
            } else {
                if buffer.last == UInt8(ascii: "\r") { buffer.removeLast() }
                if !buffer.isEmpty { frames.append(.line(buffer)) }
                buffer.removeAll(keepingCapacity: buffer.count <= 1 << 16)
            }
            start = end + 1
        }
        return frames
    }

    /// Whatever is left when the stream ends without a final newline.
    mutating func finish() -> Frame? {
        defer {
            buffer = []
            discarding = nil
        }
        if let dropped = discarding { return .oversized(dropped) }
        return buffer.isEmpty ? nil : .line(buffer)
    }
}

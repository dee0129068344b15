import Synchronization

/// Collects a command's interleaved output as pi does: a rolling window of the most recent bytes
/// (twice the output cap) for the result, and once the output outgrows the cap, a spill file with
/// everything, named in the truncation notice.
final class BashOutput: Sendable {
    private struct State {
        var chunks: [[UInt8]] = []
        var windowBytes = 0
        var totalBytes = 0
        var newlines = 0
        var spill: SpillFile?
        var spillFailed = false
        var lastUpdate: ContinuousClock.Instant?
    }

    private let state = Mutex(State())
    private let maxBytes: Int
    private let spillDirectory: String

    init(maxBytes: Int, spillDirectory: String) {
        self.maxBytes = maxBytes
        self.spillDirectory = spillDirectory
    }

    /// Adds a chunk; returns true when a live update is due (at most every 100 ms).
    func append(_ chunk: [UInt8]) -> Bool {
        state.withLock { state in
            state.chunks.append(chunk)
            state.windowBytes += chunk.count
            state.totalBytes += chunk.count
            state.newlines += chunk.reduce(0) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
            while state.chunks.count > 1, state.windowBytes - state.chunks[0].count >= 2 * maxBytes {
                state.windowBytes -= state.chunks.removeFirst().count
            }
            if state.totalBytes > maxBytes {
                if state.spill == nil && !state.spillFailed {
                    if let spill = SpillFile(directory: spillDirectory) {
                        // The window (twice the cap) drops nothing before the output passes the cap, so it
                        // still holds everything written so far.
                        for buffered in state.chunks.dropLast() { spill.append(buffered) }
                        state.spill = spill
                    } else {
                        state.spillFailed = true
                    }
                }
                state.spill?.append(chunk)
            }
            let now = ContinuousClock.now
            if let last = state.lastUpdate, now - last < .milliseconds(100) { return false }
            state.lastUpdate = now
            return true
        }
    }

    /// The output window tail-truncated to pi's limits, with the spill path and true line count.
    func snapshot() -> BashSnapshot {
        state.withLock { state in
            var bytes = state.chunks.flatMap { $0 }
            if state.windowBytes < state.totalBytes {
                // The window starts mid-output: drop a partial UTF-8 sequence at its head.
                let skip = bytes.prefix { $0 & 0xC0 == 0x80 }.count
                bytes.removeFirst(skip)
            }
            let text = String(decoding: bytes, as: UTF8.self)
            let truncation = Truncation.tail(text, maxLines: Truncation.defaultMaxLines, maxBytes: maxBytes)
            if truncation.truncated, state.spill == nil, !state.spillFailed {
                // Cut by lines while still under the byte cap: the window holds all of it.
                if let spill = SpillFile(directory: spillDirectory) {
                    for chunk in state.chunks { spill.append(chunk) }
                    state.spill = spill
                } else {
                    state.spillFailed = true
                }
            }
            let lastLine = Truncation.lines(text).last.map { $0.utf8.count } ?? 0
            return BashSnapshot(
                truncation: truncation, totalLines: state.newlines + 1, lastLineBytes: lastLine,
                spillPath: state.spill?.path, isEmpty: state.totalBytes == 0)
        }
    }
}

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
            if let spill = state.spill {
                spill.append(chunk)
            } else if state.totalBytes > maxBytes {
                // The window is trimmed only below, so it still holds everything written so far.
                state.spill = Self.spill(state.chunks, into: spillDirectory, failed: &state.spillFailed)
            }
            while state.chunks.count > 1, state.windowBytes - state.chunks[0].count >= 2 * maxBytes {
                state.windowBytes -= state.chunks.removeFirst().count
            }
            let now = ContinuousClock.now
            if let last = state.lastUpdate, now - last < .milliseconds(100) { return false }
            state.lastUpdate = now
            return true
        }
    }

    /// Creates the spill file holding `chunks`, once: after a failure it is not retried.
    private static func spill(_ chunks: [[UInt8]], into directory: String, failed: inout Bool) -> SpillFile? {
        guard !failed, let spill = SpillFile(directory: directory) else {
            failed = true
            return nil
        }
        for chunk in chunks { spill.append(chunk) }
        return spill
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
            if truncation.truncated, state.spill == nil {
                // Cut by lines while still under the byte cap: the window holds all of it.
                state.spill = Self.spill(state.chunks, into: spillDirectory, failed: &state.spillFailed)
            }
            let lastLine = Truncation.lines(text).last.map { $0.utf8.count } ?? 0
            return BashSnapshot(
                truncation: truncation, totalLines: state.newlines + 1, lastLineBytes: lastLine,
                spillPath: state.spill?.path, isEmpty: state.totalBytes == 0)
        }
    }
}

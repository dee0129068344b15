#if canImport(Glibc)
import Glibc
#endif

/// An incremental `text/event-stream` decoder following the WHATWG HTML "server-sent events"
/// parsing rules: a leading BOM is dropped; lines end in CRLF, LF or CR (also when the CR and LF
/// arrive in different chunks); `:` lines are comments; `data` lines are joined with LF; `event`,
/// `id` (ignored when it contains NUL) and `retry` (digits only) are honoured; unknown fields are
/// ignored; a blank line dispatches; an event with no data is not dispatched; an unterminated
/// event at the end of the stream is discarded.
///
/// It is a plain value fed byte buffers from the transport callback, so no task hop or queue sits
/// between a byte arriving and its event reaching the adapter.
public struct SSEDecoder: Sendable {
    /// Bytes of a line whose end has not arrived yet.
    private var pendingLine: [UInt8] = []
    private var data: [UInt8] = []
    private var hasData = false
    private var eventType: [UInt8] = []
    /// The `id:` seen so far (WHATWG's "last event ID buffer"); it becomes `lastEventID` when an
    /// event completes.
    private var eventIDBuffer = ""
    private var sawCR = false
    private var atStreamStart = true
    private var bomProgress = 0

    /// The reconnection time the stream asked for with `retry:`, in milliseconds.
    public private(set) var retryMilliseconds: Int?

    /// The ID of the last complete event (WHATWG's "last event ID string"): what a client sends as
    /// `Last-Event-ID` to resume. Set by every blank line, also for an event without data (MCP's
    /// priming event is an id and an empty `data`), never by an event cut off mid-way.
    public private(set) var lastEventID = ""

    public init() {}

    public mutating func feed(_ bytes: [UInt8], _ onEvent: (SSEEvent) -> Void) {
        bytes.withUnsafeBytes { feed($0, onEvent) }
    }

    public mutating func feed(_ buffer: UnsafeRawBufferPointer, _ onEvent: (SSEEvent) -> Void) {
        var index = 0
        let count = buffer.count
        if atStreamStart {
            index = skipBOM(buffer)
            if index == count, bomProgress > 0 { return }
        }
        var lineStart = index
        // Where the next LF and CR are, each found once per pass through the buffer.
        var lineFeed = -1
        var carriageReturn = -1
        while index < count {
            if lineFeed < index { lineFeed = Self.find(0x0A, in: buffer, from: index) }
            if carriageReturn < index { carriageReturn = Self.find(0x0D, in: buffer, from: index) }
            let lineBreak = min(lineFeed, carriageReturn)
            if lineBreak != index {
                sawCR = false
                index = lineBreak
                if index == count { break }
            }
            let byte = buffer[index]
            if byte == 0x0A && sawCR && index == lineStart && pendingLine.isEmpty {
                // The LF of a CRLF whose CR ended the previous line.
                sawCR = false
                index += 1
                lineStart = index
                continue
            }
            let line = UnsafeRawBufferPointer(rebasing: buffer[lineStart..<index])
            if pendingLine.isEmpty {
                processLine(line, onEvent)
            } else {
                pendingLine.append(contentsOf: line)
                let joined = pendingLine
                pendingLine.removeAll(keepingCapacity: true)
                joined.withUnsafeBytes { processLine($0, onEvent) }
            }
            sawCR = byte == 0x0D
            index += 1
            lineStart = index
        }
        if lineStart < count {
            pendingLine.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[lineStart..<count]))
        }
    }

    /// Ends the stream. Per the spec a final event without its blank line is discarded; this
    /// resets the decoder so it can be reused.
    public mutating func finish() {
        pendingLine.removeAll()
        resetEvent()
        sawCR = false
        atStreamStart = true
        bomProgress = 0
    }

    /// The index of the first `byte` at or after `start`, or the end of `buffer`. `memchr`,
    /// because most of a stream is long `data:` lines and it looks at many bytes at once.
    private static func find(_ byte: UInt8, in buffer: UnsafeRawBufferPointer, from start: Int) -> Int {
        guard start < buffer.count, let base = buffer.baseAddress,
              let found = memchr(base + start, Int32(byte), buffer.count - start)
        else { return buffer.count }
        return base.distance(to: UnsafeRawPointer(found))
    }

    private static let bom: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// Skips the UTF-8 BOM, which may itself be split across chunks; returns the first index past it.
    private mutating func skipBOM(_ buffer: UnsafeRawBufferPointer) -> Int {
        var index = 0
        while index < buffer.count, bomProgress < 3 {
            guard buffer[index] == Self.bom[bomProgress] else {
                // Not a BOM after all: replay the matched prefix as ordinary bytes.
                pendingLine.append(contentsOf: Self.bom[0..<bomProgress])
                bomProgress = 0
                atStreamStart = false
                return index
            }
            bomProgress += 1
            index += 1
        }
        if bomProgress == 3 {
            atStreamStart = false
            bomProgress = 0
        }
        return index
    }

    private mutating func processLine(_ line: UnsafeRawBufferPointer, _ onEvent: (SSEEvent) -> Void) {
        if line.isEmpty {
            dispatch(onEvent)
            return
        }
        if line[0] == UInt8(ascii: ":") { return }
        var colon = 0
        while colon < line.count, line[colon] != UInt8(ascii: ":") { colon += 1 }
        let field = UnsafeRawBufferPointer(rebasing: line[0..<colon])
        var valueStart = colon + 1
        if valueStart < line.count, line[valueStart] == UInt8(ascii: " ") { valueStart += 1 }
        let value = valueStart < line.count
            ? UnsafeRawBufferPointer(rebasing: line[valueStart..<line.count])
            : UnsafeRawBufferPointer(start: nil, count: 0)
        if Self.equals(field, "data") {
            if hasData { data.append(0x0A) }
            data.append(contentsOf: value)
            hasData = true
        } else if Self.equals(field, "event") {
            eventType.removeAll(keepingCapacity: true)
            eventType.append(contentsOf: value)
        } else if Self.equals(field, "id") {
            if !value.contains(0) { eventIDBuffer = String(decoding: value, as: UTF8.self) }
        } else if Self.equals(field, "retry") {
            if !value.isEmpty, value.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
                retryMilliseconds = Int(String(decoding: value, as: UTF8.self))
            }
        }
    }

    private mutating func dispatch(_ onEvent: (SSEEvent) -> Void) {
        defer { resetEvent() }
        lastEventID = eventIDBuffer
        guard hasData else { return }
        let type = eventType.isEmpty ? "message" : String(decoding: eventType, as: UTF8.self)
        onEvent(SSEEvent(type: type, data: data, lastEventID: lastEventID))
    }

    private mutating func resetEvent() {
        // `removeAll` costs a call even on an empty array, and most events name no type.
        if !data.isEmpty { data.removeAll(keepingCapacity: true) }
        hasData = false
        if !eventType.isEmpty { eventType.removeAll(keepingCapacity: true) }
    }

    private static func equals(_ bytes: UnsafeRawBufferPointer, _ word: StaticString) -> Bool {
        guard bytes.count == word.utf8CodeUnitCount else { return false }
        for index in 0..<bytes.count where bytes[index] != word.utf8Start[index] { return false }
        return true
    }
}

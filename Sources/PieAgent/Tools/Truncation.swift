import PieJSON

/// How output was cut, reported in `details.truncation` exactly like pi's `TruncationResult`.
public struct TruncationResult: Sendable, Equatable {
    public enum Limit: String, Sendable { case lines, bytes }

    public var content: String
    public var truncated: Bool
    public var truncatedBy: Limit?
    public var totalLines: Int
    public var totalBytes: Int
    public var outputLines: Int
    public var outputBytes: Int
    /// Tail truncation kept only the end of an over-long last line.
    public var lastLinePartial: Bool
    /// Head truncation found the first line alone over the byte limit and kept nothing.
    public var firstLineExceedsLimit: Bool
    public var maxLines: Int
    public var maxBytes: Int

    var json: JSONValue {
        .object(
            JSONObject([
                ("truncated", .bool(truncated)),
                ("truncatedBy", truncatedBy.map { .string($0.rawValue) } ?? .null),
                ("totalLines", .integer(totalLines)), ("totalBytes", .integer(totalBytes)),
                ("outputLines", .integer(outputLines)), ("outputBytes", .integer(outputBytes)),
                ("lastLinePartial", .bool(lastLinePartial)),
                ("firstLineExceedsLimit", .bool(firstLineExceedsLimit)),
                ("maxLines", .integer(maxLines)), ("maxBytes", .integer(maxBytes)),
            ]))
    }
}

/// pi's truncation rules (`truncate.ts`): whole lines only, lines split on `\n`, bytes counted as
/// UTF-8 plus one per joining newline, whichever of the line and byte limits is hit first.
public enum Truncation {
    public static let defaultMaxLines = 2000
    public static let defaultMaxBytes = 50 * 1024
    public static let grepMaxLineLength = 500

    /// Splits on `\n` only (a `\r\n` pair is one `Character` in Swift, so `String.split` on
    /// characters would not see it); a trailing newline yields a final empty line, as in pi.
    public static func lines(_ text: String) -> [Substring] {
        var lines: [Substring] = []
        var start = text.startIndex
        for index in text.utf8.indices where text.utf8[index] == UInt8(ascii: "\n") {
            lines.append(text[start..<index])
            start = text.utf8.index(after: index)
        }
        lines.append(text[start...])
        return lines
    }

    /// The result for content kept whole; head and tail start from it.
    private static func untouched(_ content: String, lineCount: Int, maxLines: Int, maxBytes: Int) -> TruncationResult {
        let totalBytes = content.utf8.count
        return TruncationResult(
            content: content, truncated: false, truncatedBy: nil, totalLines: lineCount, totalBytes: totalBytes,
            outputLines: lineCount, outputBytes: totalBytes, lastLinePartial: false, firstLineExceedsLimit: false,
            maxLines: maxLines, maxBytes: maxBytes)
    }

    /// Keeps the first complete lines that fit.
    public static func head(_ content: String, maxLines: Int = defaultMaxLines, maxBytes: Int = defaultMaxBytes)
        -> TruncationResult
    {
        let all = lines(content)
        var result = untouched(content, lineCount: all.count, maxLines: maxLines, maxBytes: maxBytes)
        if all.count <= maxLines && result.totalBytes <= maxBytes { return result }
        result.truncated = true
        if let first = all.first, first.utf8.count > maxBytes {
            result.content = ""
            result.truncatedBy = .bytes
            result.outputLines = 0
            result.outputBytes = 0
            result.firstLineExceedsLimit = true
            return result
        }
        var kept: [Substring] = []
        var bytes = 0
        result.truncatedBy = .lines
        for (index, line) in all.prefix(maxLines).enumerated() {
            let lineBytes = line.utf8.count + (index > 0 ? 1 : 0)
            if bytes + lineBytes > maxBytes {
                result.truncatedBy = .bytes
                break
            }
            kept.append(line)
            bytes += lineBytes
        }
        result.content = kept.joined(separator: "\n")
        result.outputLines = kept.count
        result.outputBytes = result.content.utf8.count
        return result
    }

    /// Keeps the last complete lines that fit; an over-long last line keeps its tail bytes.
    public static func tail(_ content: String, maxLines: Int = defaultMaxLines, maxBytes: Int = defaultMaxBytes)
        -> TruncationResult
    {
        let all = lines(content)
        var result = untouched(content, lineCount: all.count, maxLines: maxLines, maxBytes: maxBytes)
        if all.count <= maxLines && result.totalBytes <= maxBytes { return result }
        result.truncated = true
        result.truncatedBy = .lines
        var kept: [Substring] = []
        var bytes = 0
        for line in all.reversed() {
            if kept.count >= maxLines { break }
            let lineBytes = line.utf8.count + (kept.isEmpty ? 0 : 1)
            if bytes + lineBytes > maxBytes {
                result.truncatedBy = .bytes
                if kept.isEmpty {
                    kept.append(Substring(suffix(of: line, maxBytes: maxBytes)))
                    result.lastLinePartial = true
                }
                break
            }
            kept.append(line)
            bytes += lineBytes
        }
        result.content = kept.reversed().joined(separator: "\n")
        result.outputLines = kept.count
        result.outputBytes = result.content.utf8.count
        return result
    }

    /// The last `maxBytes` bytes of `line`, starting on a UTF-8 boundary.
    static func suffix(of line: Substring, maxBytes: Int) -> String {
        let utf8 = Array(line.utf8)
        var start = max(0, utf8.count - maxBytes)
        while start < utf8.count && utf8[start] & 0xC0 == 0x80 { start += 1 }
        return String(decoding: utf8[start...], as: UTF8.self)
    }

    /// pi's `formatSize`: `512B`, `50.0KB`, `1.5MB`.
    public static func formatSize(_ bytes: Int) -> String {
        if bytes < 1024 { return "\(bytes)B" }
        if bytes < 1024 * 1024 { return oneDecimal(Double(bytes) / 1024) + "KB" }
        return oneDecimal(Double(bytes) / (1024 * 1024)) + "MB"
    }

    private static func oneDecimal(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// Cuts a line to `maxLength` Unicode scalars with pi's `... [truncated]` marker.
    public static func truncateLine(_ line: some StringProtocol, maxLength: Int = grepMaxLineLength)
        -> (text: String, wasTruncated: Bool)
    {
        let scalars = line.unicodeScalars
        guard scalars.count > maxLength else { return (String(line), false) }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars.prefix(maxLength))
        return (String(view) + "... [truncated]", true)
    }
}

import PiePolicy
import PieSandbox

/// pi's `read`: a text file as raw lines (no line numbers) from a 1-indexed `offset`, `limit` applied
/// before head truncation, or an image recognised by its magic bytes.
public struct ReadTool: AgentTool {
    public init() {}

    public let name = "read"
    public let description =
        "Read the contents of a file. Supports text files and images (jpg, png, gif, webp). Images are sent as "
        + "attachments. For text files, output is truncated to \(Truncation.defaultMaxLines) lines or "
        + "\(Truncation.defaultMaxBytes / 1024)KB (whichever is hit first). Use offset/limit for large files. "
        + "When you need the full file, continue with offset until complete."

    public let schema = ToolSchema([
        .init("path", .string, "Path to the file to read (relative or absolute)", required: true),
        .init("offset", .integer(minimum: 0), "Line number to start reading from (1-indexed)"),
        .init("limit", .integer(minimum: 1), "Maximum number of lines to read"),
    ])

    public func policyRequest(_ arguments: ValidatedArguments, context: ToolContext) -> ToolRequest {
        .file(tool: .read, path: context.resolve(arguments.string("path") ?? ""))
    }

    public func execute(_ arguments: ValidatedArguments, context: ToolContext) async throws(ToolFailure) -> ToolResult {
        try context.checkCancelled()
        let path = arguments.string("path") ?? ""
        let absolute = ReadPathFallback.existing(context.resolve(path), files: context.files)
        let bytes: [UInt8]
        do {
            bytes = try context.files.read(absolute, maxBytes: context.policy.maxFileReadBytes)
        } catch {
            throw ToolFailure(FileErrorText.access(error, path: absolute))
        }
        if let mimeType = ImageSniffer.mimeType(of: bytes) {
            return ToolResult(content: [.text("Read image file [\(mimeType)]"), .image(mimeType: mimeType, data: bytes)])
        }
        return try readText(String(decoding: bytes, as: UTF8.self), path: path, arguments: arguments, context: context)
    }

    private func readText(
        _ text: String, path: String, arguments: ValidatedArguments, context: ToolContext
    ) throws(ToolFailure) -> ToolResult {
        let lines = Truncation.lines(text)
        let offset = arguments.integer("offset") ?? 0
        let start = max(0, offset - 1)
        guard start < lines.count else {
            throw ToolFailure("Offset \(offset) is beyond end of file (\(lines.count) lines total)")
        }
        let limit = arguments.integer("limit")
        let end = limit.map { min(start + $0, lines.count) } ?? lines.count
        let maxBytes = context.maxOutputBytes
        let truncation = Truncation.head(
            lines[start..<end].joined(separator: "\n"), maxLines: Truncation.defaultMaxLines, maxBytes: maxBytes)
        let firstShown = start + 1

        if truncation.firstLineExceedsLimit {
            let size = Truncation.formatSize(lines[start].utf8.count)
            return .text(
                "[Line \(firstShown) is \(size), exceeds \(Truncation.formatSize(maxBytes)) limit. "
                    + "Use bash: sed -n '\(firstShown)p' \(path) | head -c \(maxBytes)]",
                details: .read(truncation: truncation))
        }
        if truncation.truncated {
            let lastShown = firstShown + truncation.outputLines - 1
            let limitNote = truncation.truncatedBy == .bytes ? " (\(Truncation.formatSize(maxBytes)) limit)" : ""
            return .text(
                truncation.content
                    + "\n\n[Showing lines \(firstShown)-\(lastShown) of \(lines.count)\(limitNote). "
                    + "Use offset=\(lastShown + 1) to continue.]",
                details: .read(truncation: truncation))
        }
        if limit != nil, end < lines.count {
            return .text(
                truncation.content
                    + "\n\n[\(lines.count - end) more lines in file. Use offset=\(end + 1) to continue.]")
        }
        return .text(truncation.content)
    }
}

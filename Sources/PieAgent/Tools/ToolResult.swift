import FoundationEssentials
import PieJSON

/// One block of a tool result as the model receives it.
public enum ToolContent: Sendable, Equatable {
    case text(String)
    /// Raw image bytes; providers send them base64-encoded (`base64`).
    case image(mimeType: String, data: [UInt8])

    public var base64: String? {
        guard case .image(_, let data) = self else { return nil }
        return Data(data).base64EncodedString()
    }
}

/// What a tool call produced: the content the model sees, whether it is an error, and metadata
/// for the UI and the audit log (`details`) that is never sent to the model.
public struct ToolResult: Sendable, Equatable {
    public var content: [ToolContent]
    public var isError: Bool
    public var details: JSONObject

    public init(content: [ToolContent], isError: Bool = false, details: JSONObject = JSONObject()) {
        self.content = content
        self.isError = isError
        self.details = details
    }

    public static func text(_ text: String, details: JSONObject = JSONObject()) -> ToolResult {
        ToolResult(content: [.text(text)], details: details)
    }

    /// pi's error shape: the bare message, no prefix and no stack, flagged as an error.
    public static func error(_ message: String, details: JSONObject = JSONObject()) -> ToolResult {
        ToolResult(content: [.text(message)], isError: true, details: details)
    }

    /// All text blocks joined, as a quick view of what the model reads.
    public var text: String {
        content.compactMap { block in
            if case .text(let text) = block { return text }
            return nil
        }.joined(separator: "\n")
    }

    /// Bytes handed to the model: UTF-8 text plus raw image bytes.
    public var byteCount: Int {
        content.reduce(0) { total, block in
            switch block {
            case .text(let text): total + text.utf8.count
            case .image(_, let data): total + data.count
            }
        }
    }
}

/// A tool's failure: pi tools throw, and the message becomes an error result verbatim.
public struct ToolFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    /// Metadata that still matters on failure, e.g. the spill file of a failed command.
    public var details: JSONObject

    public init(_ message: String, details: JSONObject = JSONObject()) {
        self.message = message
        self.details = details
    }

    public var description: String { message }

    /// pi's text when the call was cancelled before or while it ran.
    public static let aborted = ToolFailure("Operation aborted")
}

import FoundationEssentials
import PieJSON
import PieLocal

/// One block of a tool result as the model receives it.
public enum ToolContent: Sendable, Equatable {
    case text(String)
    /// Raw image bytes; providers send them base64-encoded (`base64`).
    case image(mimeType: String, data: [UInt8])

    public var base64: String? {
        guard case .image(_, let data) = self else { return nil }
        return Data(data).base64EncodedString()
    }

    /// The block as a message carries it; images base64-encoded, as providers expect them.
    public var contentBlock: ContentBlock {
        switch self {
        case .text(let text): .text(text)
        case .image(let mimeType, let data): .image(base64: Data(data).base64EncodedString(), mimeType: mimeType)
        }
    }
}

/// What a tool call produced, from the tool through the hooks and the loop to the session: the
/// content the model sees, whether it is an error, and typed `details` for the UI, the session
/// and the audit log that are never sent to the model.
public struct ToolResult: Sendable, Equatable {
    public var content: [ToolContent]
    public var isError: Bool
    public var details: ToolDetails?
    /// Set by the audit hook when the completion record could not be written; stored in the
    /// session's `details` as `auditError`, so the gap in the log is visible where the call is.
    public var auditError: String?

    public init(content: [ToolContent], isError: Bool = false, details: ToolDetails? = nil) {
        self.content = content
        self.isError = isError
        self.details = details
    }

    public static func text(_ text: String, details: ToolDetails? = nil) -> ToolResult {
        ToolResult(content: [.text(text)], details: details)
    }

    /// pi's error shape: the bare message, no prefix and no stack, flagged as an error.
    public static func error(_ message: String, details: ToolDetails? = nil) -> ToolResult {
        ToolResult(content: [.text(message)], isError: true, details: details)
    }

    /// `details` as the session file and `--mode json` store them; nil when there are none.
    public var detailsJSON: JSONValue? {
        var object = details?.json ?? JSONObject()
        if let auditError { object["auditError"] = .string(auditError) }
        return object.isEmpty ? nil : .object(object)
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
    public var details: ToolDetails?

    public init(_ message: String, details: ToolDetails? = nil) {
        self.message = message
        self.details = details
    }

    public var description: String { message }

    /// pi's text when the call was cancelled before or while it ran.
    public static let aborted = ToolFailure("Operation aborted")
}

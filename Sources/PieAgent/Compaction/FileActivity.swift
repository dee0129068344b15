import PieJSON
import PieLocal

/// The files a stretch of conversation read and modified, taken from the tool calls themselves
/// so the summary's file lists are exact even when the model's summary is vague.
public struct FileActivity: Sendable, Hashable {
    public var read: Set<String> = []
    public var modified: Set<String> = []

    public init(read: Set<String> = [], modified: Set<String> = []) {
        self.read = read
        self.modified = modified
    }

    /// Adds the `path` of every `read`, `write` and `edit` call in `messages`.
    public mutating func record(_ messages: [AgentMessage]) {
        for message in messages {
            guard let reply = message.assistant else { continue }
            for call in reply.toolCalls {
                guard let path = call.arguments["path"]?.stringValue else { continue }
                switch call.name {
                case "read": read.insert(path)
                case "write", "edit": modified.insert(path)
                default: break
                }
            }
        }
    }

    /// Files read but never modified, sorted.
    public var readOnly: [String] { read.subtracting(modified).sorted() }

    public var modifiedSorted: [String] { modified.sorted() }
}

import PieJSON

/// What a tool reports beside its content, typed per tool: for the UI, the session file and the
/// audit log, never sent to the model. `json` is the shape pi writes into `details`, so session
/// files stay what they were.
public enum ToolDetails: Sendable, Equatable {
    case bash(BashDetails)
    case edit(EditDetails)
    /// `read` cut the file's text.
    case read(truncation: TruncationResult)
    /// `ls`, `find` and `grep`.
    case listing(ListingDetails)
    /// An MCP tool's call: its server and tool, and the structured result it returned.
    case mcp(MCPCallDetails)
    /// A `task` call: the sub-agent's outcome and the session that holds its transcript.
    case task(TaskDetails)
    /// Details of a tool or hook outside the coding tools, stored as given (pi's `details` is
    /// whatever the tool returns).
    case custom(JSONObject)

    public var json: JSONObject {
        switch self {
        case .bash(let bash): bash.json
        case .edit(let edit): JSONObject([("diff", .string(edit.diff)), ("firstChangedLine", .integer(edit.firstChangedLine))])
        case .read(let truncation): JSONObject([("truncation", truncation.json)])
        case .listing(let listing): listing.json
        case .mcp(let call): call.json
        case .task(let task): task.json
        case .custom(let object): object
        }
    }
}

/// `edit`'s diff of the file, as pi shows it.
public struct EditDetails: Sendable, Equatable {
    public var diff: String
    /// 1-based line of the first change.
    public var firstChangedLine: Int

    public init(diff: String, firstChangedLine: Int) {
        self.diff = diff
        self.firstChangedLine = firstChangedLine
    }
}

/// What cut the output of `ls`, `find` or `grep`.
public struct ListingDetails: Sendable, Equatable {
    /// The count limit the tool stopped at, named as pi names it per tool.
    public enum Limit: Sendable, Equatable {
        case entries(Int), results(Int), matches(Int)
    }

    public var limitReached: Limit?
    public var truncation: TruncationResult?
    /// `grep` shortened over-long matching lines.
    public var linesTruncated: Bool

    public init(limitReached: Limit? = nil, truncation: TruncationResult? = nil, linesTruncated: Bool = false) {
        self.limitReached = limitReached
        self.truncation = truncation
        self.linesTruncated = linesTruncated
    }

    public var isEmpty: Bool { limitReached == nil && truncation == nil && !linesTruncated }

    var json: JSONObject {
        var object = JSONObject()
        switch limitReached {
        case .entries(let count): object["entryLimitReached"] = .integer(count)
        case .results(let count): object["resultLimitReached"] = .integer(count)
        case .matches(let count): object["matchLimitReached"] = .integer(count)
        case nil: break
        }
        if let truncation { object["truncation"] = truncation.json }
        if linesTruncated { object["linesTruncated"] = .bool(true) }
        return object
    }
}

/// What an MCP tool call reports beside its content: which server and tool answered, and the
/// `structuredContent` it returned (kept for the session and UIs; the model reads the content).
public struct MCPCallDetails: Sendable, Equatable {
    public var server: String
    public var tool: String
    public var structuredContent: JSONValue?

    public init(server: String, tool: String, structuredContent: JSONValue? = nil) {
        self.server = server
        self.tool = tool
        self.structuredContent = structuredContent
    }

    var json: JSONObject {
        var object = JSONObject([("server", .string(server)), ("tool", .string(tool))])
        if let structuredContent { object["structuredContent"] = structuredContent }
        return object
    }
}

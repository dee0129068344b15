/// What a tool call asks to do, reduced to what the policy judges.
public enum ToolRequest: Sendable, Equatable {
    /// A shell command line, run with `cwd` (relative to the project) or the project root.
    case bash(command: String, cwd: String?)
    /// A file tool touching `path` (absolute, or relative to the project root).
    case file(tool: FileTool, path: String)
    /// A tool of an MCP server, by the server's name in `mcp.toml` and the tool's listed name.
    case mcp(server: String, tool: String)
    /// The schedule tool adding session work that runs later without a prompt from the user
    /// (`what` describes it: the trigger and the prompt), judged by `schedule_tool`.
    case schedule(what: String)
    /// The task tool starting a sub-agent with these tools (coding tool names), judged by
    /// `task_tool`; the sub-agent's own calls are judged one by one like the parent's.
    case task(tools: [String])
    /// The memory tool changing or listing the notes later sessions load (`what` describes the
    /// call: the action, the scope and the name), judged by `memory_tool`.
    case memory(action: MemoryAction, what: String)
}

/// What a memory call does: `list` only reads what the system prompt already shows; `save` and
/// `delete` change what every later session starts with.
public enum MemoryAction: String, Sendable, CaseIterable, Codable {
    case save, list, delete
}

/// The file tools and the access each one needs.
public enum FileTool: String, Sendable, CaseIterable, Codable {
    case read, write, edit, ls, grep, find

    public var access: PathAccess {
        switch self {
        case .read, .ls, .grep, .find: .read
        case .write, .edit: .write
        }
    }
}

public enum PathAccess: String, Sendable, Codable {
    case read, write
}

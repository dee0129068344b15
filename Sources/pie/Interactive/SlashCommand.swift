import PiePolicy

/// The interactive prompt's `/` commands: names, usage and help in one table, so `/help`, parsing
/// and "did you mean" suggestions cannot drift apart.
enum SlashCommand: String, CaseIterable, Sendable {
    case help, model, thinking, sessions, resume, new, name, tree, fork, undo, compact, save, cost, policy
    case cron, triggers, mcp, memory
    case login, logout, quit

    var usage: String {
        switch self {
        case .model: "/model [provider:model]"
        case .thinking: "/thinking [off|minimal|low|medium|high|xhigh]"
        case .resume: "/resume [session-id]"
        case .name: "/name <name>"
        case .fork: "/fork [entry-id]"
        case .compact: "/compact [instructions]"
        case .save: "/save [path.md]"
        case .login: "/login <provider> <key>"
        case .logout: "/logout <provider>"
        case .cron: "/cron add \"<expr>\" <prompt> | list | enable|disable|remove <id>"
        case .triggers: "/triggers [enable|disable|remove <id>]"
        case .mcp: "/mcp [prompts]"
        case .memory: "/memory [list] | remove [user/|project/]<name>"
        default: "/\(rawValue)"
        }
    }

    var summary: String {
        switch self {
        case .help: "list these commands"
        case .model: "show or switch the model"
        case .thinking: "show or set the thinking level"
        case .sessions: "list this project's sessions"
        case .resume: "continue a session (default: the newest)"
        case .new: "start a new session"
        case .name: "name this session"
        case .tree: "show this session's entry tree"
        case .fork: "start a new session from an entry of this one"
        case .undo: "take back the last exchange"
        case .compact: "summarise older context now"
        case .save: "write the conversation as Markdown"
        case .cost: "tokens and cost so far"
        case .policy: "show the effective tool policy"
        case .cron: "this session's cron jobs (5 fields or @daily, local time)"
        case .triggers: "this session's triggers (at, every, file, command)"
        case .mcp: "the MCP servers, their tools and prompts (a prompt runs as /mcp__SERVER__PROMPT name=value …)"
        case .memory: "the memories later sessions load (~/.pie/memory, .pie/memory); remove asks first"
        case .login: "store an API key in ~/.pie/auth.json"
        case .logout: "remove a stored API key"
        case .quit: "leave pie"
        }
    }

    /// A parsed line: the command and the rest of the line as its argument.
    struct Invocation: Equatable, Sendable {
        var command: SlashCommand
        var argument: String
    }

    enum ParseResult: Equatable, Sendable {
        case command(Invocation)
        case unknown(name: String, suggestion: SlashCommand?)
        /// Not a slash command: a prompt for the model.
        case prompt
    }

    /// Parses a line typed at the prompt; `/exit` and `/q` are accepted for `/quit`.
    static func parse(_ line: String) -> ParseResult {
        guard line.hasPrefix("/"), !line.hasPrefix("//") else { return .prompt }
        let body = line.dropFirst()
        let name = String(body.prefix { $0 != " " && $0 != "\t" })
        let argument = String(body.dropFirst(name.count)).trimmedWhitespace()
        if let command = SlashCommand(rawValue: name) ?? (["exit", "q"].contains(name) ? .quit : nil) {
            return .command(Invocation(command: command, argument: argument))
        }
        return .unknown(name: name, suggestion: closest(to: name))
    }

    /// The command whose name is fewest edits away, if it is plausibly what was meant.
    static func closest(to name: String) -> SlashCommand? {
        Spelling.closest(to: name, among: allCases.map(\.rawValue)).flatMap(SlashCommand.init(rawValue:))
    }

    static var helpText: String {
        let width = allCases.map(\.usage.count).max() ?? 0
        return allCases.map { $0.usage + String(repeating: " ", count: width - $0.usage.count + 2) + $0.summary }
            .joined(separator: "\n")
    }
}

extension String {
    func trimmedWhitespace() -> String {
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice.removeFirst() }
        while let last = slice.last, last.isWhitespace { slice.removeLast() }
        return String(slice)
    }
}

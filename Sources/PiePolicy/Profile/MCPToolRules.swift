/// Which MCP tools may run: the profiles' `[mcp]` section.
///
/// Patterns are `SERVER/TOOL`, each side a glob (`*` any run of characters, `?` one), matched
/// against the server's name in `mcp.toml` and the tool's name as the server lists it. A deny
/// wins over an ask, an ask over an allow; a tool no pattern names gets `default`, so a tool a
/// server adds later is judged by what the user chose for the unknown, not allowed by accident.
public struct MCPToolRules: Sendable, Equatable {
    public var defaultVerdict: Decision.Verdict
    public private(set) var allow: [String]
    public private(set) var ask: [String]
    public private(set) var deny: [String]

    public static let denyAll = MCPToolRules(defaultVerdict: .deny, allow: [], ask: [], deny: [])

    public init(defaultVerdict: Decision.Verdict, allow: [String], ask: [String], deny: [String]) {
        self.defaultVerdict = defaultVerdict
        self.allow = allow
        self.ask = ask
        self.deny = deny
    }

    /// The verdict for `tool` of `server`, the pattern that decided (nil for the default) and
    /// the list it came from.
    public func judge(server: String, tool: String) -> (verdict: Decision.Verdict, pattern: String?, list: String) {
        for (list, patterns, verdict) in [("mcp.deny", deny, Decision.Verdict.deny), ("mcp.ask", ask, .ask), ("mcp.allow", allow, .allow)] {
            if let pattern = patterns.first(where: { Self.pattern($0, matches: server, tool: tool) }) {
                return (verdict, pattern, list)
            }
        }
        return (defaultVerdict, nil, "mcp.default")
    }

    static func pattern(_ pattern: String, matches server: String, tool: String) -> Bool {
        guard let slash = pattern.utf8.firstIndex(of: UInt8(ascii: "/")) else { return false }
        let serverGlob = String(decoding: pattern.utf8[..<slash], as: UTF8.self)
        let toolGlob = String(decoding: pattern.utf8[pattern.utf8.index(after: slash)...], as: UTF8.self)
        return ComponentGlob(serverGlob).matches(Array(server.utf8)) && ComponentGlob(toolGlob).matches(Array(tool.utf8))
    }

    /// Why `pattern` is not a valid `SERVER/TOOL` glob, or nil when it is.
    static func problem(with pattern: String) -> String? {
        let parts = pattern.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            return "'\(pattern)' is not SERVER/TOOL (each side a glob, e.g. \"github/search_*\" or \"time/*\")"
        }
        return nil
    }
}

/// The seven coding tools and pi's named subsets of them.
public enum CodingTools {
    /// Every tool, in the order pi lists them.
    public static let all: [any AgentTool] = [
        ReadTool(), BashTool(), EditTool(), WriteTool(), GrepTool(), FindTool(), LsTool(),
    ]

    /// pi's default active set.
    public static let defaultNames = ["read", "bash", "edit", "write"]
    /// pi's `readOnlyTools`.
    public static let readOnlyNames = ["read", "grep", "find", "ls"]

    /// The tools with these names, in the order given; unknown names are returned separately so
    /// a `--tools` flag can report them.
    public static func named(_ names: [String]) -> (tools: [any AgentTool], unknown: [String]) {
        var tools: [any AgentTool] = []
        var unknown: [String] = []
        for name in names {
            if let tool = all.first(where: { $0.name == name }) { tools.append(tool) } else { unknown.append(name) }
        }
        return (tools, unknown)
    }
}

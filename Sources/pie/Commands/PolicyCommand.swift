import ArgumentParser
import PieAgent
import PiePolicy
import PieJSON

/// `pie policy …`: inspect the policy without running anything.
struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Inspect the tool policy.",
        subcommands: [PolicyExplainCommand.self])
}

/// `pie policy explain`: would this call be allowed, which rule decides, and every check on the way.
struct PolicyExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain the decision for one bash command, one file path, one MCP tool, one task delegation or one memory action.",
        discussion: "Exit codes: 0 allowed, 1 denied or held for approval (decision ask), 2 bad usage.")

    @Option(help: "The tool: bash, read, write, edit, ls, grep, find, task, memory, or an MCP tool as mcp__SERVER__TOOL.")
    var tool: String

    @Option(help: "The sub-agent's tools, comma-separated (with --tool task; default read,grep,find,ls).")
    var taskTools: String?

    @Option(help: "The command line (with --tool bash).")
    var command: String?

    @Option(help: "The path (with the file tools).")
    var path: String?

    @Option(help: "With --tool memory: save (default), list or delete.")
    var action: String?

    @Option(help: "The project directory (default: the current directory).")
    var cwd: String?

    @Flag(help: "Print the decision as JSON.")
    var json = false

    @OptionGroup var policy: PolicyOptions

    func run() throws {
        let environment = ProcessContext.environment()
        let here = try ProcessContext.currentDirectory()
        let project = cwd.map { PathNormalizer.join(here, $0) } ?? here
        let (request, input) = try request()
        let effective = try policy.effectivePolicy(cwd: project, environment: environment)
        let engine = try PolicyEngine(policy: effective.policy)
        let decision = engine.evaluate(request)
        if json {
            print(PolicyReport.json(decision, tool: tool, input: input).rendered(pretty: true))
        } else {
            print(PolicyReport.text(decision, tool: tool, input: input))
        }
        if !decision.allowed { throw PieExit(code: 1) }
    }

    private func request() throws(PieExit) -> (ToolRequest, String) {
        let tools = ["bash"] + FileTool.allCases.map(\.rawValue) + ["task", "memory", "mcp__SERVER__TOOL"]
        if taskTools != nil, tool != "task" { throw PieExit.usage("--task-tools goes with --tool task") }
        if tool == "task" {
            if command != nil || path != nil { throw PieExit.usage("--tool task is judged by its tools: use --task-tools, not --command or --path") }
            let names = taskTools.map { $0.split(separator: ",").map(String.init) } ?? CodingTools.readOnlyNames
            let known = CodingTools.all.map(\.name)
            if let unknown = names.first(where: { !known.contains($0) }) {
                throw PieExit.usage("--task-tools: '\(unknown)' is not a tool a sub-agent can have; valid: \(known.joined(separator: ", "))")
            }
            return (.task(tools: names), names.joined(separator: ","))
        }
        if tool == "memory" {
            if command != nil || path != nil { throw PieExit.usage("--tool memory is judged by its action (--action), without --command or --path") }
            let text = action ?? MemoryAction.save.rawValue
            guard let memoryAction = MemoryAction(rawValue: text) else {
                throw PieExit.usage("--action: '\(text)' is not save, list or delete")
            }
            return (.memory(action: memoryAction, what: "\(text) of a memory"), text)
        }
        if action != nil { throw PieExit.usage("--action goes with --tool memory") }
        if let (server, mcpTool) = MCPToolName.parse(tool) {
            if command != nil || path != nil { throw PieExit.usage("--tool \(tool) is an MCP tool: it is judged by name, without --command or --path") }
            return (.mcp(server: server, tool: mcpTool), "")
        }
        if tool.hasPrefix(MCPToolName.prefix) {
            throw PieExit.usage("--tool: '\(tool)' is not mcp__SERVER__TOOL (the server's name from mcp.toml, two underscores, the tool's name)")
        }
        if tool == "bash" {
            guard let command else { throw PieExit.usage("--tool bash needs --command '<command line>'") }
            if path != nil { throw PieExit.usage("--path goes with the file tools, not bash; use --command") }
            return (.bash(command: command, cwd: nil), command)
        }
        guard let fileTool = FileTool(rawValue: tool) else {
            throw PieExit.usage("--tool: '\(tool)' is not a tool; valid: \(tools.joined(separator: ", "))")
        }
        guard let path else { throw PieExit.usage("--tool \(tool) needs --path <path>") }
        if command != nil { throw PieExit.usage("--command goes with --tool bash; use --path") }
        return (.file(tool: fileTool, path: path), path)
    }
}

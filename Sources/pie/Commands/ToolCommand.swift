import ArgumentParser
import Glibc
import PieAgent
import PiePolicy
import PieJSON
import PieLocal
import PieRuntime
import PieScheduler
import PieSessionJobs
import PieSystem

/// `pie tool NAME --args JSON` (or `--args-file PATH`): one tool call through exactly the agent's path (validate → policy →
/// audit → confined backend), printed as the model would see it. Scripts and tests drive tools
/// with it; no model is involved.
struct ToolCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tool",
        abstract: "Run one tool call through the policy, the audit log and the sandbox.",
        discussion: """
            Tools: \(CodingTools.all.map(\.name).joined(separator: ", ")), memory (memory_tool decides; an ask is
            denied here), and schedule, which the policy holds for a person's confirmation: pie tool has nobody
            to ask, so it is always denied here.
            Exit codes: 0 the tool succeeded, 1 it returned an error result (a policy denial included), 2 bad usage.
            """)

    @Argument(help: "The tool name.")
    var name: String

    @Option(name: .customLong("args"), help: "The arguments as a JSON object, exactly as a model would send them.")
    var arguments: String?

    @Option(
        name: .customLong("args-file"),
        help: "A file holding the arguments' exact bytes (instead of --args); invalid UTF-8 is refused.")
    var argumentsFile: String?

    @Option(help: "The project directory (default: the current directory).")
    var cwd: String?

    @Flag(help: "Print the result as JSON (content blocks, isError, details).")
    var json = false

    @OptionGroup var policy: PolicyOptions

    func run() async throws {
        let environment = ProcessContext.environment()
        // The schedule tool goes through the same gate, where `ask` meets nobody to ask: a denial.
        // It has no session, so nothing could be stored even if it ran.
        let schedule = ScheduleTool(store: SessionJobStore(rules: SessionJobRules(environment: environment)), clock: SystemClock())
        let names = CodingTools.all.map(\.name) + [MemoryTool.toolName, schedule.name]
        guard names.contains(name) else {
            let hint = Spelling.closest(to: name, among: names).map { " (did you mean '\($0)'?)" } ?? ""
            throw PieExit.usage("'\(name)' is not a tool\(hint); tools: \(names.joined(separator: ", "))")
        }
        let argumentBytes = try ToolArgumentsInput.bytes(inline: arguments, file: argumentsFile)
        let here = try ProcessContext.currentDirectory()
        let project = cwd.map { PathNormalizer.join(here, $0) } ?? here
        let selection = try policy.selection()
        let tools: GuardedTools
        do throws(AgentBuildError) {
            tools = try ProcessContext.agentBuilder(environment: environment).toolRunner(
                policy: selection, cwd: project, auditSession: "tool-\(getpid())", extraTools: [schedule],
                onWarning: { printError("pie: warning: \($0)") })
        } catch {
            throw PieExit(error)
        }

        // The bytes are valid UTF-8 (`ToolArgumentsInput` refuses anything else), so the text is exact.
        let call = ToolCall(
            id: "call_\(getpid())", name: name, rawArguments: String(decoding: argumentBytes, as: UTF8.self))
        let result = await tools.run(call)
        if json {
            print(ToolResultRendering.json(result, tool: name))
        } else {
            print(ToolResultRendering.text(result))
        }
        if result.isError { throw PieExit(code: 1) }
    }
}

/// How `pie tool` shows a result: the text blocks as the model reads them, or JSON for scripts.
enum ToolResultRendering {
    static func text(_ result: ToolResult) -> String {
        result.content.map { block in
            switch block {
            case .text(let text): text
            case .image(let mimeType, let data): "[image \(mimeType), \(data.count) bytes]"
            }
        }.joined(separator: "\n")
    }

    static func json(_ result: ToolResult, tool: String) -> String {
        let blocks: [JSONValue] = result.content.map { block in
            switch block {
            case .text(let text):
                .object(JSONObject([("type", .string("text")), ("text", .string(text))]))
            case .image(let mimeType, _):
                .object(JSONObject([
                    ("type", .string("image")), ("mimeType", .string(mimeType)), ("data", .string(block.base64 ?? "")),
                ]))
            }
        }
        return JSONValue.object(JSONObject([
            ("tool", .string(tool)), ("isError", .bool(result.isError)), ("content", .array(blocks)),
            ("details", result.detailsJSON ?? .object(JSONObject())),
        ])).rendered
    }
}

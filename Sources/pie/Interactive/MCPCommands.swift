import PieAgent
import PieMCP
import PiePolicy
import PieRuntime

/// `/mcp` and the servers' prompts as slash commands (`/mcp__SERVER__PROMPT name=value …`), over
/// the MCP servers this interactive session started.
struct MCPCommands {
    let toolbox: MCPToolbox

    /// `/mcp`: each server, its state and tools; `/mcp prompts`: the prompts it offers.
    func show(_ argument: String) async throws(PieExit) {
        guard !toolbox.connections.isEmpty else {
            print("no MCP servers running (pie mcp list shows what is configured; docs/mcp.md)")
            return
        }
        switch argument {
        case "":
            for connection in toolbox.connections {
                let tools = toolbox.tools.compactMap { MCPToolName.parse($0.name) }.filter { $0.server == connection.name }.map(\.tool)
                print("\(connection.name): \(Self.describe(await connection.status)); tools: \(tools.isEmpty ? "none" : tools.joined(separator: ", "))")
            }
        case "prompts":
            for connection in toolbox.connections {
                let prompts: [MCPPrompt]
                do { prompts = try await connection.client().listAllPrompts() } catch {
                    print("\(connection.name): no prompts (\(error.message))")
                    continue
                }
                for prompt in prompts {
                    let arguments = prompt.arguments.map { $0.required ? "\($0.name)=…" : "[\($0.name)=…]" }.joined(separator: " ")
                    let about = prompt.description.map { "  \($0)" } ?? ""
                    print("/\(MCPToolName.make(server: connection.name, tool: prompt.name)) \(arguments)\(about)")
                }
            }
        default:
            throw PieExit.usage("usage: /mcp [prompts]; a server's prompt runs as /mcp__SERVER__PROMPT name=value …")
        }
    }

    /// The text of prompt `name` of `server` with `argument`'s `name=value` pairs, as the user
    /// turn to send: the user chose to run it, so it is their words, not the server's data.
    func prompt(server: String, name: String, argument: String) async throws(PieExit) -> String {
        guard let connection = toolbox.connections.first(where: { $0.name == server }) else {
            let running = toolbox.connections.map(\.name)
            throw PieExit.usage("no MCP server '\(server)' is running; running: \(running.isEmpty ? "none" : running.joined(separator: ", "))")
        }
        var arguments: [String: String] = [:]
        for pair in argument.split(separator: " ", omittingEmptySubsequences: true) {
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                throw PieExit.usage("'\(pair)' is not name=value; /mcp prompts lists each prompt's arguments")
            }
            arguments[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
        }
        let result: MCPPromptResult
        do { result = try await connection.client().getPrompt(name, arguments: arguments) } catch {
            throw PieExit(code: 1, message: error.message)
        }
        let text = result.messages.compactMap { message -> String? in
            if case .text(let text) = message.content { return text }
            return nil
        }.joined(separator: "\n\n")
        guard !text.isEmpty else { throw PieExit(code: 1, message: "the prompt '\(name)' of '\(server)' has no text to send") }
        return text
    }

    static func describe(_ status: MCPConnectionStatus) -> String {
        switch status {
        case .ready(let info): "running (\(info.name) \(info.version), protocol \(info.protocolVersion))"
        case .idle, .starting: "starting"
        case .restarting(let attempt, let delayMs, let reason): "restarting (attempt \(attempt) in \(delayMs) ms: \(reason))"
        case .failed(let reason): "failed: \(reason)"
        case .closed: "closed"
        }
    }
}

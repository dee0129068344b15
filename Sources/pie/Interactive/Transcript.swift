import Glibc
import PieAgent
import PieLocal
import PieSystem

/// `/save`: the conversation as Markdown, for reading or sharing (secrets were already redacted
/// from tool output before it entered the context).
enum Transcript {
    static func markdown(_ context: [AgentMessage]) -> String {
        var out = "# pie session\n"
        for message in context {
            switch message {
            case .user(let content):
                out += "\n## User\n\n" + text(content) + "\n"
            case .assistant(let reply):
                out += "\n## Assistant (\(reply.model))\n\n" + text(reply.content) + "\n"
                for call in reply.toolCalls {
                    out += "\n```tool-call \(call.name)\n\(call.argumentText)\n```\n"
                }
            case .toolResult(let result):
                out += "\n### \(result.isError ? "Tool error" : "Tool result") (\(result.toolName))\n\n```\n"
                    + text(result.content) + "\n```\n"
            case .compactionSummary(let summary):
                out += "\n## Summary of earlier conversation\n\n" + summary.summary + "\n"
            }
        }
        return out
    }

    static func save(_ context: [AgentMessage], to path: String) throws(PieExit) {
        let bytes = Array(markdown(context).utf8)
        do {
            let fd = try FileIO.openFile(path, O_WRONLY | O_CREAT | O_TRUNC, mode: 0o644)
            defer { FileIO.close(fd) }
            try FileIO.writeAll(fd, bytes, path: path)
        } catch {
            throw PieExit(code: 1, message: "cannot write '\(path)': \(String(cString: strerror(error.code)))")
        }
    }

    private static func text(_ content: [ContentBlock]) -> String {
        content.compactMap { block -> String? in
            switch block {
            case .text(let text): text
            case .thinking(let text, _): "> " + text.split(separator: "\n").joined(separator: "\n> ")
            case .image(_, let mimeType): "[image \(mimeType)]"
            case .toolCall: nil
            }
        }.joined(separator: "\n\n")
    }
}

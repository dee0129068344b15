import FoundationEssentials
import PieLocal
import PieJSON

/// A recorded model conversation: one JSON array of events per line, one line per model
/// response. Blank lines and lines starting with `#` are ignored, so transcripts can explain
/// themselves. The format is documented in docs/agent-loop.md.
public struct ReplayTranscript: Sendable, Hashable {
    public var responses: [ReplayResponse]
    /// Where it came from (a path, or a name for in-memory transcripts), for error messages.
    public var source: String

    public init(responses: [ReplayResponse], source: String) {
        self.responses = responses
        self.source = source
    }

    public init(parsing text: String, source: String) throws(ReplayError) {
        var responses: [ReplayResponse] = []
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.drop { $0.isWhitespace }
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            responses.append(try Self.response(String(line), line: offset + 1, source: source))
        }
        self.init(responses: responses, source: source)
    }

    public init(contentsOfFile path: String) throws(ReplayError) {
        let data: Data
        do {
            data = try Data(contentsOf: URL(filePath: path))
        } catch {
            throw .unreadable(path: path, reason: "\(error)")
        }
        try self.init(parsing: String(decoding: data, as: UTF8.self), source: path)
    }

    private static func response(_ text: String, line: Int, source: String) throws(ReplayError) -> ReplayResponse {
        let json: JSONValue
        do {
            json = try JSONParser.parse(text)
        } catch {
            throw .malformedLine(source: source, line: line, reason: "invalid JSON (\(error))")
        }
        guard let items = json.arrayValue else {
            throw .malformedLine(source: source, line: line, reason: "the line is not a JSON array")
        }
        var response = ReplayResponse(events: [], line: line)
        for item in items {
            if item["type"]?.stringValue == "expect" {
                response.expectedToolResults = item["tool_results"]?.intValue
                response.expectedResultText = item["result_contains"]?.stringValue
                continue
            }
            do {
                response.events.append(try ReplayEvent(json: item))
            } catch {
                throw .malformedLine(source: source, line: line, reason: error.reason)
            }
        }
        return response
    }
}

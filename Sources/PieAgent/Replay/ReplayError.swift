/// Why a replay transcript could not be read or played.
public enum ReplayError: Error, Sendable, Hashable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case malformedLine(source: String, line: Int, reason: String)
    /// The agent asked for more model responses than the transcript recorded.
    case transcriptExhausted(source: String, served: Int)
    /// The request did not carry the tool results the recorded response expects.
    case unexpectedRequest(source: String, line: Int, detail: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            "Cannot read the replay transcript \(path): \(reason)."
        case .malformedLine(let source, let line, let reason):
            "\(source):\(line): \(reason). Each line must be a JSON array of replay events (see docs/agent-loop.md)."
        case .transcriptExhausted(let source, let served):
            "The replay transcript \(source) has no response left: it recorded \(served) model response(s) and the agent asked for another. Record a longer transcript, or check that the run follows the recording."
        case .unexpectedRequest(let source, let line, let detail):
            "\(source):\(line): the request does not match the recording: \(detail). The run has diverged from the transcript."
        }
    }
}

import PieLocal
import Synchronization
import PieJSON

/// `--provider replay --replay FILE`: plays a recorded transcript instead of calling a model, so
/// the demo and tests run the whole agent with no API key and no network.
///
/// Responses are served in order. Before serving one, the request is checked loosely against
/// the recording: it must end with one tool result per call of the previous response (matched
/// by id), plus whatever an `expect` event asks. A mismatch means the run diverged from the
/// recording, and replaying further would only produce nonsense.
public final class ReplayProvider: Provider {
    private struct Cursor {
        var next = 0
        var previousCallIDs: [String] = []
    }

    public let transcript: ReplayTranscript
    private let cursor = Mutex(Cursor())

    public init(transcript: ReplayTranscript) {
        self.transcript = transcript
    }

    /// Responses not served yet; the CLI can warn when a run ends early.
    public var remaining: Int { transcript.responses.count - cursor.withLock { $0.next } }

    public func stream(
        _ request: ChatRequest, model: ModelDescriptor, apiKey: String?,
        onEvent: @escaping @Sendable (StreamEvent) -> Void
    ) async throws {
        let (response, previousCallIDs) = try cursor.withLock { cursor throws(ReplayError) in
            guard cursor.next < transcript.responses.count else {
                throw .transcriptExhausted(source: transcript.source, served: cursor.next)
            }
            let response = transcript.responses[cursor.next]
            let previous = cursor.previousCallIDs
            cursor.next += 1
            cursor.previousCallIDs = response.toolCallIDs
            return (response, previous)
        }
        try check(request, against: response, previousCallIDs: previousCallIDs)
        try play(response, onEvent: onEvent)
    }

    private func check(_ request: ChatRequest, against response: ReplayResponse, previousCallIDs: [String]) throws(ReplayError) {
        let results = request.messages.reversed().prefix { message in
            if case .toolResult = message { return true }
            return false
        }.reversed()
        let resultIDs = results.compactMap { message -> String? in
            if case .toolResult(let id, _, _, _) = message { return id }
            return nil
        }
        func mismatch(_ detail: String) -> ReplayError {
            .unexpectedRequest(source: transcript.source, line: response.line, detail: detail)
        }
        if !previousCallIDs.isEmpty, Set(resultIDs) != Set(previousCallIDs) || resultIDs.count != previousCallIDs.count {
            throw mismatch(
                "expected results for \(previousCallIDs.count) tool call(s) [\(previousCallIDs.joined(separator: ", "))], got \(resultIDs.count) [\(resultIDs.joined(separator: ", "))]")
        }
        if let expected = response.expectedToolResults, expected != resultIDs.count {
            throw mismatch("expected \(expected) tool result(s), got \(resultIDs.count)")
        }
        if let needle = response.expectedResultText {
            let found = results.contains { message in
                guard case .toolResult(_, _, let content, _) = message else { return false }
                return content.contains { block in
                    if case .text(let text) = block { return text.contains(needle) }
                    return false
                }
            }
            if !found { throw mismatch("no tool result contains \"\(needle)\"") }
        }
    }

    private func play(_ response: ReplayResponse, onEvent: @Sendable (StreamEvent) -> Void) throws {
        var toolIndex = 0
        var stop: StopReason?
        for event in response.events {
            if Task.isCancelled { throw ProviderError.cancelled }
            switch event {
            case .text(let text):
                onEvent(.textDelta(text))
            case .thinking(let text):
                onEvent(.thinkingDelta(text))
            case .toolCall(let id, let name, let raw):
                let arguments = JSONParser.parseArguments(raw)
                onEvent(.toolCallStart(index: toolIndex, id: id, name: name))
                onEvent(.toolCallDelta(index: toolIndex, fragment: raw, partial: arguments))
                onEvent(
                    .toolCallEnd(
                        index: toolIndex, call: ToolCall(id: id, name: name, arguments: arguments, rawArguments: raw)))
                toolIndex += 1
            case .usage(let usage):
                onEvent(.usage(usage))
            case .stop(let reason):
                stop = reason
            case .error(let error):
                throw error
            }
        }
        onEvent(.stop(stop ?? (toolIndex > 0 ? .toolUse : .stop)))
    }
}

import PieJSON

/// Turns one wire API's response into `StreamEvent`s. A value type owned by one call.
protocol WireStreamParser: Sendable {
    /// A parser for one response; `secrets` are redacted from anything it reports.
    init(toolCalls: ToolCallAssembler, secrets: [String])
    /// Handles one SSE event of a streamed response.
    mutating func consume(_ event: SSEEvent, emit: (StreamEvent) -> Void) throws(ProviderError)
    /// Handles a whole non-streamed JSON response.
    mutating func consume(response: JSONElement, emit: (StreamEvent) -> Void) throws(ProviderError)
    /// The body ended: closes open tool calls and emits usage and the stop reason.
    mutating func finish(emit: (StreamEvent) -> Void) throws(ProviderError)
}

extension WireStreamParser {
    /// Parses an event's data as JSON, reporting unreadable chunks as a malformed stream.
    func json(_ event: SSEEvent) throws(ProviderError) -> JSONElement {
        do {
            return try JSONDocument(event.data).root
        } catch {
            let excerpt = String(event.text.prefix(120))
            throw .malformedStream(detail: "invalid JSON in \(event.type) event (\(error)): \(excerpt)")
        }
    }
}

import PieJSON

/// The Anthropic Messages API (`POST …/v1/messages`, see `Endpoint.anthropicMessages`): content blocks streamed as
/// `content_block_start/delta/stop`, usage split between `message_start` and `message_delta`.
public struct AnthropicMessages: Provider {
    let transport: any HTTPTransport

    public static let apiVersion = "2023-06-01"

    /// Thinking budgets in tokens per level (Anthropic's budget-based extended thinking).
    static let budgets: [ThinkingLevel: Int] = [.minimal: 1024, .low: 4096, .medium: 8192, .high: 16_384, .xhigh: 32_768]

    public init(transport: any HTTPTransport) {
        self.transport = transport
    }

    public func stream(
        _ request: ChatRequest, model: ModelDescriptor, apiKey: String?,
        onEvent: @escaping @Sendable (StreamEvent) -> Void
    ) async throws {
        var auth: [(name: String, value: String)] = [("anthropic-version", Self.apiVersion)]
        if let apiKey, !apiKey.isEmpty { auth.append(("x-api-key", apiKey)) }
        try await WireCall<Parser>.post(
            Self.body(for: request, model: model), url: Endpoint.anthropicMessages(baseURL: model.baseURL), auth: auth,
            request: request, model: model, apiKey: apiKey, transport: transport, onEvent: onEvent)
    }

    static func body(for request: ChatRequest, model: ModelDescriptor) -> JSONValue {
        let maxTokens = request.maxTokens ?? model.maxTokens
        var body: JSONObject = [
            "model": .string(model.id),
            "messages": .array(messages(request.messages, model: model)),
            "max_tokens": .number(Double(maxTokens)),
            "stream": .bool(request.stream),
        ]
        if let system = request.systemPrompt, !system.isEmpty { body["system"] = .string(system) }
        if !request.tools.isEmpty {
            body["tools"] = .array(request.tools.map {
                ["name": .string($0.name), "description": .string($0.description), "input_schema": $0.parameters]
            })
        }
        let thinking = ThinkingResolution(requested: request.thinking, model: model)
        // The budget must leave room for the answer: at least 1,024 tokens of each.
        if model.reasoning, thinking.isEnabled, let wanted = budgets[thinking.level] {
            let budget = min(wanted, maxTokens - 1024)
            if budget >= 1024 { body["thinking"] = ["type": "enabled", "budget_tokens": .number(Double(budget))] }
        }
        return .object(body)
    }

    /// Anthropic needs alternating roles, so consecutive same-role messages (several tool
    /// results, say) are merged into one.
    static func messages(_ history: [ChatMessage], model: ModelDescriptor) -> [JSONValue] {
        var turns = AlternatingTurns()
        for message in history {
            switch message {
            case .user(let blocks):
                turns.append("user", blocks.compactMap { block in
                    switch block {
                    case .text(let text): return ["type": "text", "text": .string(text)]
                    case .image(let data, let mimeType) where model.acceptsImages:
                        return ["type": "image", "source": ["type": "base64", "media_type": .string(mimeType), "data": .string(data)]]
                    default: return nil
                    }
                })
            case .assistant(let blocks):
                turns.append("assistant", blocks.compactMap { block in
                    switch block {
                    case .text(let text) where !text.isEmpty: return ["type": "text", "text": .string(text)]
                    // Anthropic rejects thinking without its signature; unsigned thinking (from
                    // another provider) is dropped.
                    case .thinking(let text, let signature?):
                        return ["type": "thinking", "thinking": .string(text), "signature": .string(signature)]
                    case .toolCall(let call):
                        return ["type": "tool_use", "id": .string(call.id), "name": .string(call.name), "input": call.arguments]
                    default: return nil
                    }
                })
            case .toolResult(let id, _, _, let isError):
                turns.append("user", [[
                    "type": "tool_result", "tool_use_id": .string(id), "content": .string(message.plainText),
                    "is_error": .bool(isError),
                ]])
            }
        }
        return turns.json(itemsKey: "content")
    }

    struct Parser: WireStreamParser {
        var toolCalls: ToolCallAssembler
        let secrets: [String]
        var usage = Usage()
        var sawUsage = false
        var stop: StopReason?
        /// Block index → whether it is a tool call.
        var toolBlocks: Set<Int> = []

        init(toolCalls: ToolCallAssembler, secrets: [String]) {
            self.toolCalls = toolCalls
            self.secrets = secrets
        }

        mutating func consume(_ event: SSEEvent, emit: (StreamEvent) -> Void) throws(ProviderError) {
            let payload = try json(event)
            let type = payload["type"]?.stringValue ?? event.type
            let index = payload["index"]?.intValue ?? 0
            switch type {
            case "message_start":
                if let value = payload["message"]?["usage"] { readUsage(value) }
            case "content_block_start":
                guard let block = payload["content_block"] else { return }
                switch block["type"]?.stringValue {
                case "tool_use":
                    toolBlocks.insert(index)
                    toolCalls.update(key: index, id: block["id"]?.stringValue, name: block["name"]?.stringValue, fragment: nil, emit: emit)
                case "text":
                    if let text = block["text"]?.stringValue, !text.isEmpty { emit(.textDelta(text)) }
                case "thinking":
                    if let text = block["thinking"]?.stringValue, !text.isEmpty { emit(.thinkingDelta(text)) }
                default: return
                }
            case "content_block_delta":
                guard let delta = payload["delta"] else { return }
                switch delta["type"]?.stringValue {
                case "text_delta":
                    if let text = delta["text"]?.stringValue, !text.isEmpty { emit(.textDelta(text)) }
                case "thinking_delta":
                    if let text = delta["thinking"]?.stringValue, !text.isEmpty { emit(.thinkingDelta(text)) }
                case "signature_delta":
                    if let signature = delta["signature"]?.stringValue { emit(.thinkingSignature(signature)) }
                case "input_json_delta":
                    toolCalls.update(key: index, id: nil, name: nil, fragment: delta["partial_json"]?.stringValue, emit: emit)
                default: return
                }
            case "content_block_stop":
                if toolBlocks.contains(index) { toolCalls.end(key: index, emit: emit) }
            case "message_delta":
                if let reason = payload["delta"]?["stop_reason"]?.stringValue { stop = Self.stopReason(reason) }
                if let value = payload["usage"] { readUsage(value) }
            case "error":
                let error = payload["error"]
                throw ProviderError.fromStreamError(
                    type: error?["type"]?.stringValue, message: error?["message"]?.stringValue ?? event.text, secrets: secrets)
            default:
                return
            }
        }

        private mutating func readUsage(_ value: JSONElement) {
            sawUsage = true
            if let input = value["input_tokens"]?.intValue { usage.input = input }
            if let output = value["output_tokens"]?.intValue { usage.output = output }
            if let read = value["cache_read_input_tokens"]?.intValue { usage.cacheRead = read }
            if let written = value["cache_creation_input_tokens"]?.intValue { usage.cacheWrite = written }
        }

        static func stopReason(_ reason: String) -> StopReason {
            switch reason {
            case "max_tokens": return .length
            case "tool_use": return .toolUse
            case "refusal": return .refused
            default: return .stop
            }
        }

        mutating func consume(response: JSONElement, emit: (StreamEvent) -> Void) throws(ProviderError) {
            if response["type"]?.stringValue == "error" {
                let error = response["error"]
                throw ProviderError.fromStreamError(
                    type: error?["type"]?.stringValue, message: error?["message"]?.stringValue ?? "error", secrets: secrets)
            }
            for (index, block) in (response["content"]?.items ?? .empty).enumerated() {
                switch block["type"]?.stringValue {
                case "text":
                    if let text = block["text"]?.stringValue { emit(.textDelta(text)) }
                case "thinking":
                    if let text = block["thinking"]?.stringValue { emit(.thinkingDelta(text)) }
                    if let signature = block["signature"]?.stringValue { emit(.thinkingSignature(signature)) }
                case "tool_use":
                    let arguments = block["input"].map { JSONWriter.string($0.value, keys: .sorted) }
                    toolCalls.update(key: index, id: block["id"]?.stringValue, name: block["name"]?.stringValue, fragment: arguments, emit: emit)
                    toolCalls.end(key: index, emit: emit)
                default: continue
                }
            }
            if let value = response["usage"] { readUsage(value) }
            if let reason = response["stop_reason"]?.stringValue { stop = Self.stopReason(reason) }
        }

        mutating func finish(emit: (StreamEvent) -> Void) throws(ProviderError) {
            toolCalls.endAll(emit: emit)
            if sawUsage { emit(.usage(usage)) }
            emit(.stop(stop ?? (toolCalls.isEmpty ? .stop : .toolUse)))
        }
    }
}

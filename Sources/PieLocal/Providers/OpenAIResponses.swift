import PieJSON

/// The OpenAI Responses API (`POST {baseUrl}/responses`), used by OpenAI's hosted models and by
/// DS4. Typed SSE events (`response.output_text.delta`, `response.function_call_arguments.delta`,
/// `response.completed`, …) are normalised to `StreamEvent`s.
public struct OpenAIResponses: Provider {
    let transport: any HTTPTransport

    public init(transport: any HTTPTransport) {
        self.transport = transport
    }

    public func stream(
        _ request: ChatRequest, model: ModelDescriptor, apiKey: String?,
        onEvent: @escaping @Sendable (StreamEvent) -> Void
    ) async throws {
        try await WireCall<Parser>.post(
            Self.body(for: request, model: model), url: Endpoint.openAIResponses(baseURL: model.baseURL), auth: RequestHeaders.bearer(apiKey),
            request: request, model: model, apiKey: apiKey, transport: transport, onEvent: onEvent)
    }

    static func body(for request: ChatRequest, model: ModelDescriptor) -> JSONValue {
        let compat = model.resolvedCompat
        var body: JSONObject = [
            "model": .string(model.id),
            "input": .array(input(for: request, model: model, compat: compat)),
            "stream": .bool(request.stream),
            "max_output_tokens": .number(Double(request.maxTokens ?? model.maxTokens)),
        ]
        if compat.supportsStore { body["store"] = false }
        let thinking = ThinkingResolution(requested: request.thinking, model: model)
        if model.reasoning, thinking.isEnabled, let effort = thinking.wireValue {
            body["reasoning"] = ["effort": .string(effort), "summary": "auto"]
        }
        if !request.tools.isEmpty {
            body["tools"] = .array(request.tools.map { tool in
                var function: JSONObject = [
                    "type": "function", "name": .string(tool.name), "description": .string(tool.description),
                    "parameters": tool.parameters,
                ]
                if compat.supportsStrictMode { function["strict"] = false }
                return .object(function)
            })
        }
        return .object(body)
    }

    static func input(for request: ChatRequest, model: ModelDescriptor, compat: ResolvedCompat) -> [JSONValue] {
        var items: [JSONValue] = []
        if let system = request.systemPrompt, !system.isEmpty {
            let role = model.reasoning && compat.supportsDeveloperRole ? "developer" : "system"
            items.append(["role": .string(role), "content": .string(system)])
        }
        for message in request.messages {
            switch message {
            case .user(let blocks):
                let parts: [JSONValue] = blocks.compactMap { block in
                    switch block {
                    case .text(let text): return ["type": "input_text", "text": .string(text)]
                    case .image(let data, let mimeType) where model.acceptsImages:
                        return ["type": "input_image", "image_url": .string("data:\(mimeType);base64,\(data)")]
                    default: return nil
                    }
                }
                if !parts.isEmpty { items.append(["role": "user", "content": .array(parts)]) }
            case .assistant(let blocks):
                items += assistantItems(blocks, compat: compat)
            case .toolResult(let id, _, _, _):
                items.append(["type": "function_call_output", "call_id": .string(id), "output": .string(message.plainText)])
            }
        }
        return items
    }

    private static func assistantItems(_ blocks: [ContentBlock], compat: ResolvedCompat) -> [JSONValue] {
        var items: [JSONValue] = []
        let thinking = blocks.compactMap { block -> String? in
            if case .thinking(let text, _) = block { return text } else { return nil }
        }.joined(separator: "\n")
        // DS4 keeps its KV cache valid only if the reasoning is replayed before the reply.
        if compat.requiresReasoningContentOnAssistantMessages {
            items.append(["type": "reasoning", "summary": [["type": "summary_text", "text": .string(thinking)]]])
        }
        let text = ChatMessage.assistant(blocks).plainText
        if !text.isEmpty {
            items.append(["type": "message", "role": "assistant", "content": [["type": "output_text", "text": .string(text)]]])
        }
        for block in blocks {
            guard case .toolCall(let call) = block else { continue }
            items.append([
                "type": "function_call", "call_id": .string(call.id), "name": .string(call.name),
                "arguments": .string(JSONWriter.string(call.arguments, keys: .sorted)),
            ])
        }
        return items
    }

    struct Parser: WireStreamParser {
        var toolCalls: ToolCallAssembler
        let secrets: [String]
        var usage: Usage?
        var stop: StopReason?

        init(toolCalls: ToolCallAssembler, secrets: [String]) {
            self.toolCalls = toolCalls
            self.secrets = secrets
        }

        mutating func consume(_ event: SSEEvent, emit: (StreamEvent) -> Void) throws(ProviderError) {
            let payload = try json(event)
            // Servers put the type in the `event:` field, the payload's `type`, or both.
            let type = payload["type"]?.stringValue ?? event.type
            let position = payload["output_index"]?.intValue ?? 0
            switch type {
            case "response.output_text.delta", "response.refusal.delta":
                if let delta = payload["delta"]?.stringValue, !delta.isEmpty { emit(.textDelta(delta)) }
            case "response.reasoning_summary_text.delta", "response.reasoning_text.delta", "response.reasoning.delta":
                if let delta = payload["delta"]?.stringValue, !delta.isEmpty { emit(.thinkingDelta(delta)) }
            case "response.output_item.added":
                if let item = payload["item"], item["type"]?.stringValue == "function_call" {
                    toolCalls.update(
                        key: position, id: item["call_id"]?.stringValue ?? item["id"]?.stringValue,
                        name: item["name"]?.stringValue, fragment: item["arguments"]?.stringValue, emit: emit)
                }
            case "response.function_call_arguments.delta":
                toolCalls.update(key: position, id: nil, name: nil, fragment: payload["delta"]?.stringValue, emit: emit)
            case "response.output_item.done":
                if let item = payload["item"], item["type"]?.stringValue == "function_call" {
                    toolCalls.update(
                        key: position, id: item["call_id"]?.stringValue, name: item["name"]?.stringValue, fragment: nil,
                        emit: emit)
                    toolCalls.end(key: position, finalArguments: item["arguments"]?.stringValue, emit: emit)
                }
            case "response.completed", "response.incomplete", "response.done":
                try finishResponse(payload["response"] ?? payload, emit: emit)
            case "response.failed":
                let error = payload["response"]?["error"]
                throw ProviderError.fromStreamError(
                    type: error?["code"]?.stringValue, message: error?["message"]?.stringValue ?? "response failed",
                    secrets: secrets)
            case "error":
                let message = payload["message"]?.stringValue ?? payload["error"]?["message"]?.stringValue ?? event.text
                let code = payload["code"]?.stringValue ?? payload["error"]?["type"]?.stringValue
                throw ProviderError.fromStreamError(type: code, message: message, secrets: secrets)
            default:
                return
            }
        }

        private mutating func finishResponse(_ response: JSONElement, emit: (StreamEvent) -> Void) throws(ProviderError) {
            if let usage = response["usage"], !usage.isNull { self.usage = Self.usage(usage) }
            for (position, item) in (response["output"]?.items ?? .empty).enumerated()
            where item["type"]?.stringValue == "function_call" {
                toolCalls.update(
                    key: position, id: item["call_id"]?.stringValue, name: item["name"]?.stringValue, fragment: nil,
                    emit: emit)
                toolCalls.end(key: position, finalArguments: item["arguments"]?.stringValue, emit: emit)
            }
            switch response["incomplete_details"]?["reason"]?.stringValue {
            case "max_output_tokens": stop = .length
            case "content_filter": stop = .refused
            default: stop = toolCalls.isEmpty ? .stop : .toolUse
            }
        }

        mutating func consume(response: JSONElement, emit: (StreamEvent) -> Void) throws(ProviderError) {
            if let error = response["error"], !error.isNull {
                throw ProviderError.fromStreamError(
                    type: error["code"]?.stringValue, message: error["message"]?.stringValue ?? JSONWriter.string(error.value, keys: .sorted),
                    secrets: secrets)
            }
            for item in response["output"]?.items ?? .empty {
                switch item["type"]?.stringValue {
                case "message":
                    for part in item["content"]?.items ?? .empty {
                        if let text = part["text"]?.stringValue, !text.isEmpty { emit(.textDelta(text)) }
                    }
                case "reasoning":
                    for part in Array(item["summary"]?.items ?? .empty) + Array(item["content"]?.items ?? .empty) {
                        if let text = part["text"]?.stringValue, !text.isEmpty { emit(.thinkingDelta(text)) }
                    }
                default: continue
                }
            }
            try finishResponse(response, emit: emit)
        }

        mutating func finish(emit: (StreamEvent) -> Void) throws(ProviderError) {
            toolCalls.endAll(emit: emit)
            if let usage { emit(.usage(usage)) }
            emit(.stop(stop ?? (toolCalls.isEmpty ? .stop : .toolUse)))
        }

        static func usage(_ value: JSONElement) -> Usage {
            let input = value["input_tokens"]?.intValue ?? 0
            let details = value["input_tokens_details"]
            let cached = details?["cached_tokens"]?.intValue ?? 0
            let written = details?["cache_write_tokens"]?.intValue ?? 0
            return Usage(
                input: max(0, input - cached - written), output: value["output_tokens"]?.intValue ?? 0, cacheRead: cached,
                cacheWrite: written, reasoning: value["output_tokens_details"]?["reasoning_tokens"]?.intValue ?? 0)
        }
    }
}

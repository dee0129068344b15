import PieJSON

/// Google's Generative Language API (`models/{id}:streamGenerateContent?alt=sse`). Each chunk is
/// a full `GenerateContentResponse`; function calls arrive whole, thoughts are parts marked
/// `thought: true`.
public struct GoogleGenerativeAI: Provider {
    let transport: any HTTPTransport

    public init(transport: any HTTPTransport) {
        self.transport = transport
    }

    public func stream(
        _ request: ChatRequest, model: ModelDescriptor, apiKey: String?,
        onEvent: @escaping @Sendable (StreamEvent) -> Void
    ) async throws {
        var auth: [(name: String, value: String)] = []
        if let apiKey, !apiKey.isEmpty { auth.append(("x-goog-api-key", apiKey)) }
        try await WireCall<Parser>.post(
            Self.body(for: request, model: model), url: Endpoint.googleGenerativeAI(baseURL: model.baseURL, model: model.id, method: Self.method(streaming: request.stream)), auth: auth,
            request: request, model: model, apiKey: apiKey, transport: transport, onEvent: onEvent)
    }

    /// The method part of the request path: streamed as server-sent events, or one JSON reply.
    static func method(streaming: Bool) -> String {
        streaming ? "streamGenerateContent?alt=sse" : "generateContent"
    }

    static func body(for request: ChatRequest, model: ModelDescriptor) -> JSONValue {
        var generation: JSONObject = ["maxOutputTokens": .number(Double(request.maxTokens ?? model.maxTokens))]
        let thinking = ThinkingResolution(requested: request.thinking, model: model)
        if model.reasoning, thinking.isEnabled, let budget = AnthropicMessages.budgets[thinking.level] {
            generation["thinkingConfig"] = ["thinkingBudget": .number(Double(budget)), "includeThoughts": true]
        }
        var body: JSONObject = [
            "contents": .array(contents(request.messages, model: model)),
            "generationConfig": .object(generation),
        ]
        if let system = request.systemPrompt, !system.isEmpty {
            body["systemInstruction"] = ["parts": [["text": .string(system)]]]
        }
        if !request.tools.isEmpty {
            body["tools"] = [["functionDeclarations": .array(request.tools.map {
                ["name": .string($0.name), "description": .string($0.description), "parameters": $0.parameters]
            })]]
        }
        return .object(body)
    }

    /// Consecutive same-role turns are merged, as Gemini expects user/model alternation.
    static func contents(_ history: [ChatMessage], model: ModelDescriptor) -> [JSONValue] {
        var turns = AlternatingTurns()
        for message in history {
            switch message {
            case .user(let blocks):
                turns.append("user", blocks.compactMap { block in
                    switch block {
                    case .text(let text): return ["text": .string(text)]
                    case .image(let data, let mimeType) where model.acceptsImages:
                        return ["inlineData": ["mimeType": .string(mimeType), "data": .string(data)]]
                    default: return nil
                    }
                })
            case .assistant(let blocks):
                turns.append("model", blocks.compactMap { block in
                    switch block {
                    case .text(let text) where !text.isEmpty: return ["text": .string(text)]
                    case .toolCall(let call): return ["functionCall": ["name": .string(call.name), "args": call.arguments]]
                    default: return nil
                    }
                })
            case .toolResult(_, let name, _, let isError):
                let key = isError ? "error" : "output"
                turns.append("user", [["functionResponse": ["name": .string(name), "response": [key: .string(message.plainText)]]]])
            }
        }
        return turns.json(itemsKey: "parts")
    }

    struct Parser: WireStreamParser {
        var toolCalls: ToolCallAssembler
        let secrets: [String]
        var usage: Usage?
        var stop: StopReason?
        var nextCall = 0

        init(toolCalls: ToolCallAssembler, secrets: [String]) {
            self.toolCalls = toolCalls
            self.secrets = secrets
        }

        mutating func consume(_ event: SSEEvent, emit: (StreamEvent) -> Void) throws(ProviderError) {
            try consume(response: try json(event), emit: emit)
        }

        mutating func consume(response: JSONElement, emit: (StreamEvent) -> Void) throws(ProviderError) {
            if let error = response["error"], !error.isNull {
                throw ProviderError.fromStreamError(
                    type: error["status"]?.stringValue, message: error["message"]?.stringValue ?? JSONWriter.string(error.value, keys: .sorted),
                    secrets: secrets)
            }
            if let metadata = response["usageMetadata"] { usage = Self.usage(metadata) }
            guard let candidate = response["candidates"]?[0] else { return }
            for part in candidate["content"]?["parts"]?.items ?? .empty {
                if let call = part["functionCall"] {
                    let key = nextCall
                    nextCall += 1
                    let arguments = call["args"].map { JSONWriter.string($0.value, keys: .sorted) } ?? "{}"
                    toolCalls.update(key: key, id: call["id"]?.stringValue, name: call["name"]?.stringValue, fragment: arguments, emit: emit)
                    toolCalls.end(key: key, emit: emit)
                } else if let text = part["text"]?.stringValue, !text.isEmpty {
                    emit(part["thought"]?.boolValue == true ? .thinkingDelta(text) : .textDelta(text))
                }
            }
            if let reason = candidate["finishReason"]?.stringValue {
                switch reason {
                case "MAX_TOKENS": stop = .length
                case "SAFETY", "RECITATION", "PROHIBITED_CONTENT", "BLOCKLIST", "SPII": stop = .refused
                default: stop = .stop
                }
            }
        }

        mutating func finish(emit: (StreamEvent) -> Void) throws(ProviderError) {
            toolCalls.endAll(emit: emit)
            if let usage { emit(.usage(usage)) }
            // Gemini reports STOP even when the turn ends in function calls.
            let reason = stop ?? .stop
            emit(.stop(reason == .stop && !toolCalls.isEmpty ? .toolUse : reason))
        }

        static func usage(_ value: JSONElement) -> Usage {
            let prompt = value["promptTokenCount"]?.intValue ?? 0
            let cached = value["cachedContentTokenCount"]?.intValue ?? 0
            let thoughts = value["thoughtsTokenCount"]?.intValue ?? 0
            return Usage(
                input: max(0, prompt - cached), output: (value["candidatesTokenCount"]?.intValue ?? 0) + thoughts,
                cacheRead: cached, reasoning: thoughts)
        }
    }
}

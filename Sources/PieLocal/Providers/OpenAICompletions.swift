import PieJSON

/// The OpenAI Chat Completions API (`POST {baseUrl}/chat/completions`), the dialect every local
/// server speaks. `compat` decides the quirks; see docs/models.md.
public struct OpenAICompletions: Provider {
    let transport: any HTTPTransport

    public init(transport: any HTTPTransport) {
        self.transport = transport
    }

    public func stream(
        _ request: ChatRequest, model: ModelDescriptor, apiKey: String?,
        onEvent: @escaping @Sendable (StreamEvent) -> Void
    ) async throws {
        try await WireCall<Parser>.post(
            Self.body(for: request, model: model), url: Endpoint.openAIChatCompletions(baseURL: model.baseURL), auth: RequestHeaders.bearer(apiKey),
            request: request, model: model, apiKey: apiKey, transport: transport, onEvent: onEvent)
    }

    /// The request body, public to the module so tests and `models check` can inspect it.
    static func body(for request: ChatRequest, model: ModelDescriptor) -> JSONValue {
        let compat = model.resolvedCompat
        let thinking = ThinkingResolution(requested: request.thinking, model: model)
        var body: JSONObject = [
            "model": .string(model.id),
            "messages": .array(messages(for: request, model: model, compat: compat)),
            "stream": .bool(request.stream),
        ]
        body[compat.maxTokensField.rawValue] = .number(Double(request.maxTokens ?? model.maxTokens))
        if request.stream && compat.supportsUsageInStreaming {
            body["stream_options"] = ["include_usage": true]
        }
        if compat.supportsStore { body["store"] = false }
        if !request.tools.isEmpty {
            body["tools"] = .array(request.tools.map { tool in
                var function: JSONObject = [
                    "name": .string(tool.name), "description": .string(tool.description), "parameters": tool.parameters,
                ]
                if compat.supportsStrictMode { function["strict"] = false }
                return ["type": "function", "function": .object(function)]
            })
        } else if request.messages.contains(where: \.hasToolCalls) {
            // Some servers reject tool calls in the history unless `tools` is present.
            body["tools"] = []
        }
        if model.reasoning { addThinkingFields(to: &body, thinking: thinking, compat: compat) }
        return .object(body)
    }

    private static func addThinkingFields(
        to body: inout JSONObject, thinking: ThinkingResolution, compat: ResolvedCompat
    ) {
        let effort: JSONValue? = thinking.isEnabled ? thinking.wireValue.map { .string($0) } : nil
        switch compat.thinkingFormat {
        case .openai:
            if compat.supportsReasoningEffort, let effort { body["reasoning_effort"] = effort }
        case .openrouter:
            if let effort { body["reasoning"] = ["effort": effort] }
        case .deepseek:
            body["thinking"] = ["type": .string(thinking.isEnabled ? "enabled" : "disabled")]
            if compat.supportsReasoningEffort, let effort { body["reasoning_effort"] = effort }
        case .together:
            body["reasoning"] = ["enabled": .bool(thinking.isEnabled)]
            if compat.supportsReasoningEffort, let effort { body["reasoning_effort"] = effort }
        case .zai:
            body["thinking"] = ["type": .string(thinking.isEnabled ? "enabled" : "disabled")]
        case .qwen:
            body["enable_thinking"] = .bool(thinking.isEnabled)
        case .qwenChatTemplate:
            body["chat_template_kwargs"] = ["enable_thinking": .bool(thinking.isEnabled)]
        }
    }

    static func messages(for request: ChatRequest, model: ModelDescriptor, compat: ResolvedCompat) -> [JSONValue] {
        var out: [JSONValue] = []
        if let system = request.systemPrompt, !system.isEmpty {
            let role = model.reasoning && compat.supportsDeveloperRole ? "developer" : "system"
            out.append(["role": .string(role), "content": .string(system)])
        }
        var lastWasToolResult = false
        for message in request.messages {
            switch message {
            case .user(let blocks):
                if lastWasToolResult && compat.requiresAssistantAfterToolResult {
                    out.append(["role": "assistant", "content": "I have processed the tool results."])
                }
                out.append(["role": "user", "content": userContent(blocks, model: model)])
                lastWasToolResult = false
            case .assistant(let blocks):
                if let assistant = assistantMessage(blocks, compat: compat) { out.append(assistant) }
                lastWasToolResult = false
            case .toolResult(let id, let name, let content, _):
                var result: JSONObject = [
                    "role": "tool", "tool_call_id": .string(id), "content": .string(message.plainText),
                ]
                if compat.requiresToolResultName { result["name"] = .string(name) }
                out.append(.object(result))
                let images = content.compactMap(Self.imagePart)
                if !images.isEmpty && model.acceptsImages {
                    out.append(["role": "user", "content": .array([["type": "text", "text": "Attached image(s) from tool result:"]] + images)])
                }
                lastWasToolResult = true
            }
        }
        return out
    }

    private static func userContent(_ blocks: [ContentBlock], model: ModelDescriptor) -> JSONValue {
        let hasImages = model.acceptsImages && blocks.contains { if case .image = $0 { return true } else { return false } }
        guard hasImages else {
            return .string(ChatMessage.user(blocks).plainText)
        }
        return .array(blocks.compactMap { block in
            switch block {
            case .text(let text): return ["type": "text", "text": .string(text)]
            case .image: return imagePart(block)
            case .thinking, .toolCall: return nil
            }
        })
    }

    private static func imagePart(_ block: ContentBlock) -> JSONValue? {
        guard case .image(let data, let mimeType) = block else { return nil }
        return ["type": "image_url", "image_url": ["url": .string("data:\(mimeType);base64,\(data)")]]
    }

    private static func assistantMessage(_ blocks: [ContentBlock], compat: ResolvedCompat) -> JSONValue? {
        var text = ""
        var thinking = ""
        var thinkingField: String?
        var toolCalls: [JSONValue] = []
        for block in blocks {
            switch block {
            case .text(let piece): text += piece
            case .thinking(let piece, let signature):
                thinking += thinking.isEmpty ? piece : "\n" + piece
                if let signature, ["reasoning_content", "reasoning", "reasoning_text"].contains(signature) {
                    thinkingField = signature
                }
            case .toolCall(let call):
                // Replayed arguments are always re-serialised, so the server never sees invalid JSON.
                toolCalls.append([
                    "id": .string(call.id), "type": "function",
                    "function": ["name": .string(call.name), "arguments": .string(JSONWriter.string(call.arguments, keys: .sorted))],
                ])
            case .image: continue
            }
        }
        if compat.requiresThinkingAsText && !thinking.isEmpty {
            text = thinking + (text.isEmpty ? "" : "\n\n" + text)
            thinking = ""
        }
        guard !text.isEmpty || !toolCalls.isEmpty || !thinking.isEmpty else { return nil }
        var message: JSONObject = ["role": "assistant"]
        if text.isEmpty {
            message["content"] = compat.requiresAssistantAfterToolResult ? "" : .null
        } else {
            message["content"] = .string(text)
        }
        if !toolCalls.isEmpty { message["tool_calls"] = .array(toolCalls) }
        if compat.requiresReasoningContentOnAssistantMessages {
            message["reasoning_content"] = .string(thinking)
        } else if !thinking.isEmpty, let thinkingField {
            message[thinkingField] = .string(thinking)
        }
        return .object(message)
    }

    /// Stream and response parsing for Chat Completions and its local-server variants.
    struct Parser: WireStreamParser {
        var toolCalls: ToolCallAssembler
        let secrets: [String]
        var usage: Usage?
        var finishReason: String?
        var reasoningField: String?

        init(toolCalls: ToolCallAssembler, secrets: [String]) {
            self.toolCalls = toolCalls
            self.secrets = secrets
        }

        mutating func consume(_ event: SSEEvent, emit: (StreamEvent) -> Void) throws(ProviderError) {
            if event.data == Self.done { return }
            let chunk = try json(event)
            try consume(chunk: chunk, emit: emit)
        }

        private static let done: [UInt8] = Array("[DONE]".utf8)

        /// Wire index → assembler key, for calls that reuse an index.
        private var remappedIndices: [Int: Int] = [:]
        private var nextRemappedKey = 1 << 20

        /// Some servers send every tool call with index 0; a delta carrying a new id and a name
        /// for an index whose call already started is a new call, not more of the old one.
        private mutating func assemblerKey(wireIndex: Int, id: String?, name: String?, emit: (StreamEvent) -> Void) -> Int {
            let key = remappedIndices[wireIndex] ?? wireIndex
            guard let id, !id.isEmpty, let name, !name.isEmpty, let started = toolCalls.startedID(forKey: key),
                  started != id
            else { return key }
            toolCalls.end(key: key, emit: emit)
            let fresh = nextRemappedKey
            nextRemappedKey += 1
            remappedIndices[wireIndex] = fresh
            return fresh
        }

        /// Reads each object of the chunk in one pass over its members rather than a lookup per
        /// field: chunks arrive by the hundred thousand and carry fields nobody reads.
        private mutating func consume(chunk: JSONElement, emit: (StreamEvent) -> Void) throws(ProviderError) {
            var error: JSONElement?
            var usage: JSONElement?
            var choices: JSONElement?
            for member in chunk.members {
                if member.isNamed("choices") {
                    choices = member.value
                } else if member.isNamed("usage") {
                    usage = member.value
                } else if member.isNamed("error") {
                    error = member.value
                }
            }
            if let error, !error.isNull {
                let message = error["message"]?.stringValue ?? error.stringValue ?? JSONWriter.string(error.value, keys: .sorted)
                let type = error["type"]?.stringValue ?? error["code"]?.stringValue
                throw ProviderError.fromStreamError(type: type, message: message, secrets: secrets)
            }
            if let usage, !usage.isNull { self.usage = Self.usage(usage) }
            guard let choice = choices?[0] else { return }
            var choiceUsage: JSONElement?
            var delta: JSONElement?
            var finishReason: JSONElement?
            for member in choice.members {
                if member.isNamed("delta") {
                    delta = member.value
                } else if member.isNamed("finish_reason") {
                    finishReason = member.value
                } else if member.isNamed("usage") {
                    choiceUsage = member.value
                }
            }
            if let choiceUsage, !choiceUsage.isNull { self.usage = Self.usage(choiceUsage) }
            if let delta { consume(delta: delta, emit: emit) }
            if let reason = finishReason?.stringValue {
                self.finishReason = reason
                toolCalls.endAll(emit: emit)
            }
        }

        private mutating func consume(delta: JSONElement, emit: (StreamEvent) -> Void) {
            var content: JSONElement?
            var calls: JSONElement?
            var reasoning = ReasoningFields()
            for member in delta.members {
                if member.isNamed("content") {
                    content = member.value
                } else if member.isNamed("tool_calls") {
                    calls = member.value
                } else {
                    reasoning.note(member)
                }
            }
            if let text = content?.stringValue, !text.isEmpty { emit(.textDelta(text)) }
            if let (field, text) = reasoning.first { emitThinking(text, field: field, emit: emit) }
            for (position, call) in (calls?.items ?? .empty).enumerated() {
                var wireIndex: JSONElement?
                var id: String?
                var function: JSONElement?
                for member in call.members {
                    if member.isNamed("function") {
                        function = member.value
                    } else if member.isNamed("index") {
                        wireIndex = member.value
                    } else if member.isNamed("id") {
                        id = member.value.stringValue
                    }
                }
                let name = function?["name"]?.stringValue
                let key = assemblerKey(wireIndex: wireIndex?.intValue ?? position, id: id, name: name, emit: emit)
                toolCalls.update(key: key, id: id, name: name, fragment: function?["arguments"]?.stringValue, emit: emit)
            }
        }

        mutating func consume(response: JSONElement, emit: (StreamEvent) -> Void) throws(ProviderError) {
            if let error = response["error"], !error.isNull {
                let message = error["message"]?.stringValue ?? JSONWriter.string(error.value, keys: .sorted)
                throw ProviderError.fromStreamError(type: error["type"]?.stringValue, message: message, secrets: secrets)
            }
            if let usage = response["usage"], !usage.isNull { self.usage = Self.usage(usage) }
            guard let choice = response["choices"]?[0], let message = choice["message"] else {
                throw .malformedStream(detail: "response has no choices[0].message")
            }
            if let (field, text) = ReasoningFields(in: message).first { emitThinking(text, field: field, emit: emit) }
            if let text = message["content"]?.stringValue, !text.isEmpty { emit(.textDelta(text)) }
            for (position, call) in (message["tool_calls"]?.items ?? .empty).enumerated() {
                let function = call["function"]
                let arguments = function?["arguments"]?.stringValue
                    ?? function?["arguments"].map { JSONWriter.string($0.value, keys: .sorted) }
                toolCalls.update(
                    key: position, id: call["id"]?.stringValue, name: function?["name"]?.stringValue,
                    fragment: arguments, emit: emit)
            }
            finishReason = choice["finish_reason"]?.stringValue
        }

        mutating func finish(emit: (StreamEvent) -> Void) throws(ProviderError) {
            toolCalls.endAll(emit: emit)
            if let usage { emit(.usage(usage)) }
            emit(.stop(stopReason()))
        }

        private func stopReason() -> StopReason {
            switch finishReason {
            case "length": return .length
            case "content_filter": return .refused
            case "tool_calls", "function_call": return .toolUse
            default:
                // Several local servers report "stop" even when the turn ended in tool calls.
                return toolCalls.isEmpty ? .stop : .toolUse
            }
        }

        /// The reasoning fields servers use: `reasoning_content` (DeepSeek, vLLM, llama.cpp),
        /// `reasoning` (Ollama, OpenRouter) or `reasoning_text`, gathered in a pass over a delta
        /// or message.
        private struct ReasoningFields {
            var reasoningContent: JSONElement?
            var reasoning: JSONElement?
            var reasoningText: JSONElement?

            init() {}

            init(in message: JSONElement) {
                for member in message.members { note(member) }
            }

            /// Keeps `member` if it is one of the fields (the last of a repeated name counts).
            mutating func note(_ member: JSONElement.Member) {
                if member.isNamed("reasoning_content") {
                    reasoningContent = member.value
                } else if member.isNamed("reasoning") {
                    reasoning = member.value
                } else if member.isNamed("reasoning_text") {
                    reasoningText = member.value
                }
            }

            /// The first non-empty one and its field name.
            var first: (field: String, text: String)? {
                if let text = reasoningContent?.stringValue, !text.isEmpty { return ("reasoning_content", text) }
                if let text = reasoning?.stringValue, !text.isEmpty { return ("reasoning", text) }
                if let text = reasoningText?.stringValue, !text.isEmpty { return ("reasoning_text", text) }
                return nil
            }
        }

        /// The field name goes out once as the thinking signature, so the agent can store it
        /// with the thinking block and the replay uses the field this server reads.
        private mutating func emitThinking(_ text: String, field: String, emit: (StreamEvent) -> Void) {
            emit(.thinkingDelta(text))
            if reasoningField == nil {
                reasoningField = field
                emit(.thinkingSignature(field))
            }
        }

        static func usage(_ value: JSONElement) -> Usage {
            let prompt = value["prompt_tokens"]?.intValue ?? 0
            let cached = value["prompt_tokens_details"]?["cached_tokens"]?.intValue ?? value["prompt_cache_hit_tokens"]?.intValue ?? 0
            return Usage(
                input: max(0, prompt - cached), output: value["completion_tokens"]?.intValue ?? 0, cacheRead: cached,
                reasoning: value["completion_tokens_details"]?["reasoning_tokens"]?.intValue ?? 0)
        }
    }
}

extension ChatMessage {
    var hasToolCalls: Bool {
        guard case .assistant(let blocks) = self else { return false }
        return blocks.contains { if case .toolCall = $0 { return true } else { return false } }
    }
}

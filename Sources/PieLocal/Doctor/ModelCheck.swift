import PieJSON
import Synchronization

/// A doctor for a model endpoint, local servers especially: sends one tiny streamed request
/// with a tool and reports reachability, latency to first byte, streaming, tool calling and
/// reasoning fields, with a hint for each common misconfiguration (wrong port, missing `/v1`,
/// model not loaded, server without tool-call support).
public struct ModelCheck: Sendable {
    public var transport: any HTTPTransport

    public init(transport: any HTTPTransport) {
        self.transport = transport
    }

    /// Over a `CurlTransport` that gives up connecting sooner than a turn would, since a doctor
    /// should report a dead endpoint quickly. Throws when libcurl cannot be loaded.
    public init() throws(CurlLoadError) {
        self.init(transport: try CurlTransport(configuration: .init(connectTimeoutMilliseconds: 5_000, requestTimeoutMilliseconds: 120_000)))
    }

    static let probe = ChatRequest(
        systemPrompt: "You are a connectivity check. Always answer by calling the ping tool.",
        messages: [.user("Call the ping tool with value \"ok\".")],
        tools: [ToolSpec(
            name: "ping", description: "Reports that the model can call tools.",
            parameters: ["type": "object", "properties": ["value": ["type": "string"]], "required": ["value"]])],
        thinking: .off, maxTokens: 512)

    public func run(model: ModelDescriptor, apiKey: String?) async -> ModelCheckReport {
        var report = ModelCheckReport(model: model.qualifiedID, url: model.baseURL)
        let timing = TimingTransport(transport)
        let seen = Mutex(ModelCheckReport(model: report.model, url: report.url))
        do {
            try await ProviderFactory.provider(for: model.api, transport: timing)
                .stream(Self.probe, model: model, apiKey: apiKey) { event in
                    seen.withLock { report in
                        switch event {
                        case .textDelta: report.sawText = true
                        case .thinkingDelta: report.sawReasoning = true
                        case .toolCallStart: report.sawToolCall = true
                        case .usage: report.sawUsage = true
                        default: break
                        }
                    }
                }
        } catch let error as ProviderError {
            report.error = error
        } catch {
            report.error = .malformedStream(detail: String(describing: error))
        }
        let observed = seen.withLock { $0 }
        report.sawText = observed.sawText
        report.sawReasoning = observed.sawReasoning
        report.sawToolCall = observed.sawToolCall
        report.sawUsage = observed.sawUsage
        let observation = timing.observation
        report.status = observation.head?.status
        report.requestURL = observation.url
        if report.status == 404 {
            let alternative = Endpoint.alternative(for: model, streaming: Self.probe.stream)
            report.alternativeURL = alternative.url
            report.alternativeBaseURL = alternative.baseURL
        }
        report.reachable = observation.head != nil && (observation.head?.status ?? 0) > 0
        report.firstByteMilliseconds = observation.firstByte.map { duration in
            Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
        }
        let contentType = observation.head?.headers["content-type"] ?? ""
        report.streamed = contentType.contains("text/event-stream")
        report.hints = Self.hints(for: report, model: model, contentType: contentType, hasKey: apiKey != nil)
        return report
    }

    static func hints(for report: ModelCheckReport, model: ModelDescriptor, contentType: String, hasKey: Bool) -> [String] {
        var hints: [String] = []
        let base = model.baseURL.hasSuffix("/") ? String(model.baseURL.dropLast()) : model.baseURL
        let openAIStyle = model.api == .openAICompletions || model.api == .openAIResponses
        let tried = report.requestURL ?? base
        switch report.error {
        case .connect?:
            hints.append("Nothing answered at \(base). Is the server running, and on this port? Defaults: "
                + "llama-server 8080, vLLM 8000, Ollama 11434, LM Studio 1234 (use --base-url to change).")
        case .timeout?:
            hints.append("The server accepted the connection but did not answer in time; it may still be loading the model.")
        case .http(let status, _, let body)?:
            let lowered = body.lowercased()
            if status == 404 && openAIStyle && Endpoint.split(base).version == nil {
                hints.append("The base URL lacks /v1: OpenAI-compatible servers serve \(base)/v1/chat/completions. Try --base-url \(base)/v1"
                    + (report.alternativeURL.map { " (pie would then post to \($0))." } ?? "."))
            } else if lowered.contains("model") && (status == 404 || lowered.contains("not found") || lowered.contains("does not exist")) {
                hints.append("The server does not have model '\(model.id)' loaded. List what it serves with "
                    + "`curl \(base)/models` (Ollama: `ollama pull \(model.id)`), then pass --model with that name.")
            } else if status == 404 {
                hints.append(notFoundHint(tried: tried, report: report, model: model))
            }
            if status == 401 || status == 403 {
                hints.append(hasKey ? "The server rejected the API key." : "The server wants an API key: `pie login \(model.provider) KEY`.")
            }
            if (status == 400 || status == 500) && (lowered.contains("tool") || lowered.contains("function")) {
                hints.append("The server rejected tool definitions. llama-server needs --jinja; vLLM needs "
                    + "--enable-auto-tool-choice --tool-call-parser NAME; Ollama needs a model whose template supports tools.")
            }
        default:
            break
        }
        if report.passed {
            if !report.streamed {
                hints.append("The response was not streamed (content-type \(contentType.isEmpty ? "missing" : contentType)); "
                    + "a proxy may be buffering it.")
            }
            if !report.sawToolCall {
                hints.append("The model answered without calling the tool. The server may lack tool-call support "
                    + "(llama-server: --jinja; vLLM: --enable-auto-tool-choice) or the model prints tool calls as text.")
            }
            if model.reasoning && !report.sawReasoning {
                hints.append("No reasoning field was seen; if the model thinks inside <think> tags, enable the server's "
                    + "reasoning parser (vLLM --reasoning-parser, llama-server --reasoning-format deepseek).")
            }
        }
        return hints
    }

    /// Names the URL that answered 404 and the one pie would try with the version segment
    /// toggled, with the base URL that gets there when there is one.
    static func notFoundHint(tried: String, report: ModelCheckReport, model: ModelDescriptor) -> String {
        var hint = "\(tried) answered 404: check the path in the base URL."
        guard let alternative = report.alternativeURL else { return hint }
        if let baseURL = report.alternativeBaseURL {
            hint += " pie would try \(alternative) instead with --base-url \(baseURL)."
        } else {
            hint += " Without the version segment the request would go to \(alternative), but \(model.api.rawValue)"
                + " always sends one (as its SDK does), so no base URL makes pie post there; behind a proxy, put the proxy's prefix in the base URL."
        }
        return hint
    }
}

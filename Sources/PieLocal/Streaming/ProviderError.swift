import PieSystem

/// Why a model call failed, typed so the retry layer and the agent can act on it.
public enum ProviderError: Error, Sendable, Hashable {
    /// The server answered with an error status. `retryAfterMilliseconds` comes from `Retry-After`.
    case http(status: Int, retryAfterMilliseconds: Int?, briefBody: String)
    /// Could not connect (refused, DNS, TLS); `detail` names the cause.
    case connect(url: String, detail: String)
    case timeout(milliseconds: Int?)
    /// The connection dropped after the response began.
    case connectionLost(detail: String)
    /// The prompt no longer fits; the agent should compact and try again.
    case contextOverflow(message: String)
    /// The provider is overloaded or rate limited mid-stream.
    case overloaded(message: String)
    /// A stream error event or an unparseable response.
    case malformedStream(detail: String)
    /// The server reported an error inside an otherwise successful stream.
    case streamError(message: String)
    case cancelled
    case missingAPIKey(provider: String, hint: String)
    /// Retry-After asked for more time than the retry budget allows.
    case retryDelayBeyondBudget(requestedMilliseconds: Int, budgetMilliseconds: Int, underlying: String)

    /// Whether trying the same request again can succeed.
    public var isRetryable: Bool {
        switch self {
        case .http(let status, _, _):
            return [408, 409, 425, 429].contains(status) || status >= 500
        case .connect, .timeout, .connectionLost, .overloaded: return true
        case .contextOverflow, .malformedStream, .streamError, .cancelled, .missingAPIKey,
            .retryDelayBeyondBudget:
            return false
        }
    }

    /// A sentence a user can act on; secrets are already redacted.
    public var message: String {
        switch self {
        case .http(let status, _, let body):
            let detail = body.isEmpty ? "(no body)" : body
            return "HTTP \(status): \(detail)" + Self.statusHint(status)
        case .connect(let url, let detail):
            return "Cannot connect to \(url): \(detail). Is the server running and is the port right?"
        case .timeout(let milliseconds):
            if let milliseconds { return "The request timed out after \(milliseconds) ms (--request-timeout-ms)." }
            return "The request timed out."
        case .connectionLost(let detail):
            return "The connection dropped mid-response: \(detail)."
        case .contextOverflow(let message):
            return "The conversation no longer fits the model's context window: \(message). Compact and retry."
        case .overloaded(let message):
            return "The provider is overloaded: \(message)."
        case .malformedStream(let detail):
            return "The server sent a response pie cannot read: \(detail)."
        case .streamError(let message):
            return "The model stream reported an error: \(message)."
        case .cancelled:
            return "Cancelled."
        case .missingAPIKey(let provider, let hint):
            return "No API key for provider \(provider). \(hint)"
        case .retryDelayBeyondBudget(let requested, let budget, let underlying):
            return "\(underlying) The server asked to wait \(requested) ms, beyond the retry budget of \(budget) ms; not waiting."
        }
    }

    private static func statusHint(_ status: Int) -> String {
        switch status {
        case 401, 403: return " Check the API key (pie login PROVIDER KEY or the provider's *_API_KEY variable)."
        case 404: return " Check the base URL and that the model id exists on the server; `pie models check` names the URL pie posted to and the one it would try instead."
        default: return ""
        }
    }
}

extension ProviderError: CustomStringConvertible {
    public var description: String { message }
}

extension ProviderError {
    /// Builds the error for an HTTP failure, recognising context overflow and overload messages
    /// from OpenAI, Anthropic, llama.cpp, LM Studio, vLLM and others.
    static func fromHTTP(status: Int, retryAfterMilliseconds: Int?, body: [UInt8], secrets: [String]) -> ProviderError {
        let brief = ErrorBody.brief(body, secrets: secrets)
        if ContextOverflow.matches(brief) || status == 413 { return .contextOverflow(message: brief) }
        if status == 529 { return .overloaded(message: brief) }
        return .http(status: status, retryAfterMilliseconds: retryAfterMilliseconds, briefBody: brief)
    }

    /// Classifies an error reported inside a stream (OpenAI `error` chunk, Anthropic `error` event).
    static func fromStreamError(type: String?, message: String, secrets: [String]) -> ProviderError {
        let clean = SecretRedactor(extraSecrets: secrets).redactCredentials(message)
        let lowered = (type ?? "").lowercased() + " " + clean.lowercased()
        if ContextOverflow.matches(clean) { return .contextOverflow(message: clean) }
        if lowered.contains("overloaded") || lowered.contains("rate_limit") || lowered.contains("rate limit")
            || lowered.contains("server_error") || lowered.contains("unavailable")
        {
            return .overloaded(message: clean)
        }
        return .streamError(message: clean)
    }
}

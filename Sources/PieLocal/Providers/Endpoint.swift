/// Where each wire API posts, given a model's base URL. Each rule is the one the API's own SDK
/// applies to its `baseURL` option, so a `models.json` written for pi (which hands `baseUrl` to
/// those SDKs) reaches the same URL in pie, whether or not the base URL carries the API's
/// version segment (`/v1`, `/v1beta`, …: a last path segment `v` + digits + optional suffix).
enum Endpoint {
    /// The Anthropic SDKs take the API root and add `/v1/messages`. A base URL already ending in
    /// a version segment gets `/messages` only, so `https://api.anthropic.com` and
    /// `https://api.anthropic.com/v1` both post to `https://api.anthropic.com/v1/messages`.
    static func anthropicMessages(baseURL: String) -> String {
        BaseURL.join(withVersion(baseURL, default: "v1"), "messages")
    }

    /// The Google GenAI SDK posts to `{baseUrl}/{apiVersion}/models/{model}:{method}` with
    /// `apiVersion` `v1beta` by default; pi clears `apiVersion` when its `baseUrl` already names
    /// one (its catalogue uses `…/v1beta`). So the root gets `/v1beta/models/…`, a versioned base
    /// URL `/models/…`.
    static func googleGenerativeAI(baseURL: String, model: String, method: String) -> String {
        BaseURL.join(withVersion(baseURL, default: "v1beta"), "models/\(model):\(method)")
    }

    /// The OpenAI SDK's `baseURL` includes the version (`https://api.openai.com/v1`) and the SDK
    /// appends `/responses` to it unchanged, so pie adds nothing either: some servers mount the
    /// API without a version (GitHub Copilot's endpoint, proxies), and guessing would break them.
    static func openAIResponses(baseURL: String) -> String {
        BaseURL.join(baseURL, "responses")
    }

    /// As `openAIResponses`: the OpenAI SDK appends `/chat/completions` to `baseURL` unchanged.
    static func openAIChatCompletions(baseURL: String) -> String {
        BaseURL.join(baseURL, "chat/completions")
    }

    /// The URL of the probe request `pie models check` sends for `model`.
    static func probe(_ model: ModelDescriptor, streaming: Bool) -> String {
        switch model.api {
        case .anthropicMessages: anthropicMessages(baseURL: model.baseURL)
        case .googleGenerativeAI: googleGenerativeAI(baseURL: model.baseURL, model: model.id, method: GoogleGenerativeAI.method(streaming: streaming))
        case .openAIResponses: openAIResponses(baseURL: model.baseURL)
        case .openAICompletions: openAIChatCompletions(baseURL: model.baseURL)
        }
    }

    /// What to try after a 404 at `probe(model)`: the same request with the version segment
    /// toggled, and the base URL that makes pie post there (nil when no base URL does, as for
    /// Anthropic and Google, whose rules always put a version in the path).
    static func alternative(for model: ModelDescriptor, streaming: Bool) -> (url: String, baseURL: String?) {
        let (root, version) = split(model.baseURL)
        switch model.api {
        case .openAIResponses, .openAICompletions:
            let other = version == nil ? BaseURL.join(root, "v1") : root
            var moved = model
            moved.baseURL = other
            return (probe(moved, streaming: streaming), other)
        case .anthropicMessages:
            return (BaseURL.join(root, "messages"), nil)
        case .googleGenerativeAI:
            return (BaseURL.join(root, "models/\(model.id):\(GoogleGenerativeAI.method(streaming: streaming))"), nil)
        }
    }

    /// `baseURL` without trailing slashes, ending in its own version segment or else `version`.
    private static func withVersion(_ baseURL: String, default version: String) -> String {
        let (root, own) = split(baseURL)
        return BaseURL.join(root, own ?? version)
    }

    /// The base URL without a trailing slash and without its version segment, and that segment.
    /// Only the path counts: a host named `v1` is not a version.
    static func split(_ baseURL: String) -> (root: String, version: String?) {
        var trimmed = Substring(baseURL)
        while trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        let authority = trimmed.firstRange(of: "://")?.upperBound ?? trimmed.startIndex
        guard let pathStart = trimmed[authority...].firstIndex(of: "/"), let slash = trimmed[pathStart...].lastIndex(of: "/") else { return (String(trimmed), nil) }
        let last = trimmed[trimmed.index(after: slash)...]
        guard isVersion(last) else { return (String(trimmed), nil) }
        return (String(trimmed[..<slash]), String(last))
    }

    /// `v` followed by a digit, then letters or digits: `v1`, `v4`, `v1beta`, `v2alpha1`.
    private static func isVersion(_ segment: Substring) -> Bool {
        guard segment.first == "v", let second = segment.dropFirst().first, second.isASCII, second.isNumber else { return false }
        return segment.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
    }
}

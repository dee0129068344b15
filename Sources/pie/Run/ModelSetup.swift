import PieAgent
import PieLocal

/// Turns the model flags into a provider the loop can stream from: a replayed transcript, or the
/// selected model with retries and its fallback chain.
struct ModelSetup {
    var provider: any Provider
    var descriptor: ModelDescriptor
    /// Stored API key values, redacted wherever tool output or errors could show them.
    var secrets: [String]

    static func make(_ options: ModelOptions, project: String, environment: [String: String]) throws(PieExit) -> ModelSetup {
        if options.provider == "replay" {
            guard let path = options.replay else {
                throw PieExit.usage("--provider replay needs --replay FILE (a transcript such as examples/demo-transcript.jsonl)")
            }
            let transcript: ReplayTranscript
            do {
                transcript = try ReplayTranscript(contentsOfFile: path)
            } catch {
                throw PieExit.usage(error.description)
            }
            let descriptor = ModelDescriptor(
                id: "transcript", name: "replay of \(path)", api: .openAICompletions, provider: "replay",
                baseURL: "file://" + path, source: .flag("--replay"))
            return ModelSetup(provider: ReplayProvider(transcript: transcript), descriptor: descriptor, secrets: [])
        }
        if options.replay != nil {
            throw PieExit.usage("--replay goes with --provider replay")
        }

        let pieEnvironment = PieEnvironment(environment)
        let registry: ModelRegistry
        do {
            registry = try ModelRegistry.load(environment: pieEnvironment, projectDirectory: project, baseURLFlag: options.baseURL)
        } catch {
            throw PieExit.usage(error.description)
        }
        let keys = ModelsCLI.keys(environment: pieEnvironment, registry: registry)
        let descriptor: ModelDescriptor
        let chain: FallbackChain
        do {
            descriptor = try registry.resolve(provider: options.provider, model: options.model, baseURL: options.baseURL, keys: keys)
            chain = try FallbackChain.parse(options.fallbackModels ?? "", primary: descriptor, registry: registry, keys: keys)
        } catch {
            throw PieExit.usage(error.description)
        }
        let jitter: Bool
        switch options.retryJitter?.lowercased() {
        case nil, "true": jitter = true
        case "false": jitter = false
        case let other?: throw PieExit.usage("--provider-retry-jitter: '\(other)' is not a boolean; expected true or false")
        }
        for (flag, value) in [
            ("--provider-max-retries", options.maxRetries), ("--provider-retry-budget-ms", options.retryBudgetMs),
            ("--request-timeout-ms", options.requestTimeoutMs),
        ] where (value ?? 0) < 0 {
            throw PieExit.usage("\(flag): \(value ?? 0) is negative; expected 0 or more")
        }
        let transport: CurlTransport
        do {
            transport = try CurlTransport(configuration: .init(requestTimeoutMilliseconds: options.requestTimeoutMs ?? 120_000))
        } catch {
            throw PieExit(code: 1, message: error.description)
        }
        let client = ModelClient(
            transport: transport,
            retryPolicy: RetryPolicy(
                maxRetries: options.maxRetries ?? 2, jitter: jitter, budgetMilliseconds: options.retryBudgetMs ?? 0))
        let provider = ResilientProvider(client: client, chain: chain) { model in keys.key(for: model.provider) }
        let secrets = Array(keys.saved.values) + Array(registry.configuredKeys.values)
        return ModelSetup(provider: provider, descriptor: descriptor, secrets: secrets)
    }

    static func thinkingLevel(_ text: String?) throws(PieExit) -> ThinkingLevel {
        guard let text else { return .off }
        guard let level = ThinkingLevel(rawValue: text) else {
            throw PieExit.usage("--thinking: '\(text)' is not a level; valid: \(ThinkingLevel.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return level
    }
}

import PieAgent
import PieLocal
import PiePolicy

/// A provider the loop can stream from, made from a `ModelSelection`: a replayed transcript, or
/// the selected model with retries and its fallback chain.
struct ModelAssembly {
    var provider: any Provider
    var descriptor: ModelDescriptor
    /// The fallback chain's models after the primary (`--fallback-model`), so images can be
    /// checked against every model that may answer.
    var fallbacks: [ModelDescriptor] = []
    /// Stored API key values, redacted wherever tool output or errors could show them.
    var secrets: [String]
    /// What `task` sub-agents answer from when the policy names a model (`task_model`), with
    /// their own fallbacks and the same client; nil: the provider and descriptor above.
    var task: (provider: any Provider, descriptor: ModelDescriptor)?

    /// `task`: the policy's `task_model` and `task_fallback_models` with where each was set,
    /// resolved here so an unknown name stops the build; nil when sub-agents use this model (no
    /// `task` tool, or no `task_model`; a replayed transcript answers sub-agents too).
    static func make(
        _ selection: ModelSelection, project: String, environment: [String: String], task: TaskModelChoice? = nil,
        onWarning: (AgentBuildWarning) -> Void
    ) throws(AgentBuildError) -> ModelAssembly {
        if selection.provider == ModelSelection.replayProvider {
            guard let file = selection.replayTranscript else { throw .replayWithoutTranscript }
            let path = PathNormalizer.join(project, file)
            let transcript: ReplayTranscript
            do {
                transcript = try ReplayTranscript(contentsOfFile: path)
            } catch {
                throw .transcript(error)
            }
            let descriptor = ModelDescriptor(
                id: "transcript", name: "replay of \(file)", api: .openAICompletions, provider: ModelSelection.replayProvider,
                baseURL: "file://" + path, source: .flag("--replay"))
            return ModelAssembly(provider: ReplayProvider(transcript: transcript), descriptor: descriptor, secrets: [])
        }
        if selection.replayTranscript != nil { throw .transcriptWithoutReplay }

        let pieEnvironment = PieEnvironment(environment)
        let registry: ModelRegistry
        do {
            registry = try ModelRegistry.load(
                environment: pieEnvironment, projectDirectory: project, baseURLFlag: selection.baseURL)
        } catch {
            throw .modelsFile(error)
        }
        let keys = ModelKeys.load(environment: pieEnvironment, registry: registry, onWarning: onWarning)
        let descriptor: ModelDescriptor
        let chain: FallbackChain
        do {
            descriptor = try registry.resolve(
                provider: selection.provider, model: selection.model, baseURL: selection.baseURL, keys: keys)
            chain = try FallbackChain.parse(
                selection.fallbacks.joined(separator: ","), primary: descriptor, registry: registry, keys: keys)
        } catch {
            throw .modelSelection(error)
        }
        for setting in ModelSelection.Setting.allCases where selection.value(of: setting) < 0 {
            throw .negativeSetting(setting, selection.value(of: setting))
        }
        let transport: CurlTransport
        do {
            transport = try CurlTransport(
                configuration: .init(requestTimeoutMilliseconds: selection.requestTimeoutMilliseconds))
        } catch {
            throw .transportUnavailable(error)
        }
        let client = ModelClient(
            transport: transport,
            retryPolicy: RetryPolicy(
                maxRetries: selection.maxRetries, jitter: selection.retryJitter,
                budgetMilliseconds: selection.retryBudgetMilliseconds))
        let provider = ResilientProvider(client: client, chain: chain) { model in keys.key(for: model.provider) }
        let secrets = Array(keys.saved.values) + Array(registry.configuredKeys.values)
        var assembly = ModelAssembly(
            provider: provider, descriptor: descriptor, fallbacks: Array(chain.models.dropFirst()), secrets: secrets)
        if let task {
            let chain = try task.chain(registry: registry, keys: keys)
            assembly.task = (ResilientProvider(client: client, chain: chain) { model in keys.key(for: model.provider) }, chain.models[0])
        }
        return assembly
    }
}

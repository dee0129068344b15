import PieLocal
import PiePolicy

/// The model a policy gives `task` sub-agents (`task_model`, `task_fallback_models`), with where
/// each was set so an unknown name is reported against the line that wrote it.
struct TaskModelChoice: Sendable {
    var model: String
    var fallbacks: [String]
    var modelSource: String
    var fallbacksSource: String

    /// Nil when the policy leaves sub-agents on the parent's model.
    init?(_ policy: EffectivePolicy) {
        guard let model = policy.policy.taskModel else { return nil }
        self.model = model
        fallbacks = policy.policy.taskFallbackModels
        modelSource = policy.sources[.taskModel] ?? "policy"
        fallbacksSource = policy.sources[.taskFallbackModels] ?? "policy"
    }

    /// The sub-agents' chain: `model`, then `fallbacks` in order, each resolved in `registry` as
    /// `--model` and `--fallback-model` are (a provider's unlisted id is its server's to know).
    func chain(registry: ModelRegistry, keys: APIKeys) throws(AgentBuildError) -> FallbackChain {
        let primary: ModelDescriptor
        do {
            primary = try registry.resolve(provider: nil, model: model, baseURL: nil, keys: keys)
        } catch {
            throw .taskModel(field: .taskModel, value: model, source: modelSource, error)
        }
        var others: [ModelDescriptor] = []
        for name in fallbacks {
            do {
                others.append(try registry.resolve(provider: nil, model: name, baseURL: nil, keys: keys))
            } catch {
                throw .taskModel(field: .taskFallbackModels, value: name, source: fallbacksSource, error)
            }
        }
        return FallbackChain(primary: primary, fallbacks: others)
    }
}

import PieLocal
import Synchronization

/// The token and cost limits of one run (`max_tokens`, `max_cost`), checked after every model
/// reply: the first reply that takes the total past a limit ends the run, which is then failed
/// with the limit as its reason. `max_turns` and `timeout` are the loop's own limits.
final class RunBudget: Sendable {
    let maxTokens: Int?
    let maxCost: Double?
    let pricing: ModelPricing
    private let spent = Mutex<(usage: Usage, exceeded: String?)>((Usage(), nil))

    init(maxTokens: Int?, maxCost: Double?, pricing: ModelPricing) {
        (self.maxTokens, self.maxCost, self.pricing) = (maxTokens, maxCost, pricing)
    }

    /// Adds a reply's usage; true when the run must stop.
    func record(_ usage: Usage?) -> Bool {
        spent.withLock { state in
            if let usage { state.usage = state.usage + usage }
            let tokens = state.usage.input + state.usage.output
            let cost = Cost(usage: state.usage, pricing: pricing).total
            if let maxTokens, tokens > maxTokens {
                state.exceeded = "max_tokens \(maxTokens) exceeded: the run used \(tokens) tokens"
            } else if let maxCost, cost > maxCost {
                state.exceeded = "max_cost \(maxCost) exceeded: the run cost $\(cost)"
            }
            return state.exceeded != nil
        }
    }

    /// The limit that ended the run, if one did.
    var exceeded: String? { spent.withLock { $0.exceeded } }
}

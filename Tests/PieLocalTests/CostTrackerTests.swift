import Testing
@testable import PieLocal

@Suite struct CostTrackerTests {
    @Test func pricesEachBucketPerMillionTokensAndAccumulates() {
        var tracker = CostTracker()
        let sonnet = ModelDescriptor(
            id: "s", api: .anthropicMessages, provider: "anthropic", baseURL: "https://x",
            cost: ModelPricing(input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75))
        let local = ModelDescriptor(id: "l", api: .openAICompletions, provider: "ollama", baseURL: "http://127.0.0.1:11434/v1")
        let first = tracker.record(Usage(input: 1_000_000, output: 100_000, cacheRead: 2_000_000, cacheWrite: 400_000), model: sonnet)
        #expect(first.cost == Cost(input: 3, output: 1.5, cacheRead: 0.6, cacheWrite: 1.5))
        #expect(abs(first.cost.total - 6.6) < 1e-9)
        tracker.record(Usage(input: 500, output: 20), model: local)
        #expect(tracker.entries.count == 2)
        #expect(tracker.last?.cost.total == 0)
        #expect(tracker.totalUsage == Usage(input: 1_000_500, output: 100_020, cacheRead: 2_000_000, cacheWrite: 400_000))
        #expect(abs(tracker.totalCost.total - 6.6) < 1e-9)
    }
}

import PieAgent
import PieLocal
import Testing
import PieJSON

@Suite("Compaction planner: estimates and cut points")
struct CompactionPlannerTests {
    /// A user message of about `tokens` tokens.
    static func user(_ tokens: Int) -> AgentMessage { .user(String(repeating: "x", count: tokens * 4)) }

    static func call(_ id: String, _ name: String = "read", path: String = "a.txt") -> AgentMessage {
        .assistant(
            AssistantMessage(
                content: [.toolCall(ToolCall(id: id, name: name, arguments: ["path": .string(path)]))], stopReason: .toolUse,
                model: "m"))
    }

    static func result(_ id: String, tokens: Int) -> AgentMessage {
        .toolResult(ToolResultMessage(toolCallID: id, toolName: "read", content: [.text(String(repeating: "y", count: tokens * 4))], isError: false))
    }

    @Test func estimateIsCharactersOverFourRoundedUpWithImagesAt768() {
        #expect(TokenEstimator.tokens(in: "abcde") == 2)
        #expect(TokenEstimator.tokens(in: .user([.image(base64: "AAAA", mimeType: "image/png"), .text("abcd")])) == 769)
    }

    @Test func estimateUsesTheLastUsageAndCountsOnlyLaterMessages() {
        let reply = AssistantMessage(content: [.text("ok")], usage: Usage(input: 1_000, output: 200), model: "m")
        let messages: [AgentMessage] = [Self.user(5_000), .assistant(reply), Self.user(100)]
        #expect(TokenEstimator.contextTokens(messages) == 1_300)
    }

    @Test func estimateIgnoresUsageFromBeforeTheLatestCompaction() {
        let reply = AssistantMessage(content: [.text("ok")], usage: Usage(input: 90_000), model: "m")
        let summary = CompactionSummary(summary: String(repeating: "s", count: 400), firstKeptIndex: 2, tokensBefore: 90_000)
        let messages: [AgentMessage] = [.assistant(reply), .compactionSummary(summary), Self.user(50)]
        #expect(TokenEstimator.contextTokens(messages) == 150)
    }

    @Test func settingsScaleDownForSmallWindows() {
        let small = CompactionSettings().scaled(toWindow: 8_192)
        #expect(small.reserveTokens == 2_048)
        #expect(small.keepRecentTokens == 3_072)
        let large = CompactionSettings().scaled(toWindow: 200_000)
        #expect(large == CompactionSettings())
    }

    @Test func thresholdIsWindowMinusReserve() {
        let planner = CompactionPlanner(settings: CompactionSettings(), contextWindow: 32_768)
        #expect(planner.settings.reserveTokens == 8_192)
        #expect(!planner.shouldCompact([Self.user(24_000)]))
        #expect(planner.shouldCompact([Self.user(24_600)]))
    }

    @Test func cutKeepsRecentTokensAndNeverSplitsACallFromItsResult() throws {
        let messages: [AgentMessage] = [
            Self.user(1_000), Self.call("c1"), Self.result("c1", tokens: 3_000),
            Self.call("c2"), Self.result("c2", tokens: 3_000), Self.user(100),
        ]
        let planner = CompactionPlanner(settings: CompactionSettings(keepRecentTokens: 2_000), contextWindow: 100_000)

        let plan = try #require(planner.plan(messages))

        // Walking back, 2,000 tokens are reached inside c2's result; the cut moves forward to the
        // next user message instead of landing on a tool result.
        #expect(plan.firstKeptIndex == 5)
        #expect(plan.toSummarise.count == 5)
        #expect(plan.kept == [Self.user(100)])
    }

    @Test func cutFallsBackToTheLastBoundaryWhenOnlyResultsFollow() throws {
        let messages: [AgentMessage] = [
            Self.user(1_000), Self.user(1_000), Self.call("c1"), Self.result("c1", tokens: 3_000),
        ]
        let planner = CompactionPlanner(settings: CompactionSettings(keepRecentTokens: 2_000), contextWindow: 100_000)

        let plan = try #require(planner.plan(messages))

        #expect(plan.firstKeptIndex == 2)
        #expect(plan.kept.first == Self.call("c1"))
    }

    @Test func nothingToCompactWhenEverythingFitsTheKeptPart() {
        let planner = CompactionPlanner(settings: CompactionSettings(), contextWindow: 100_000)
        #expect(planner.plan([Self.user(10), Self.user(10)]) == nil)
    }

    @Test func planStartsAfterAnEarlierSummaryAndCarriesIt() throws {
        let summary = CompactionSummary(summary: "earlier", firstKeptIndex: 3, tokensBefore: 50_000, readFiles: ["old.txt"])
        let messages: [AgentMessage] = [.compactionSummary(summary), Self.user(3_000), Self.user(3_000)]
        let planner = CompactionPlanner(settings: CompactionSettings(keepRecentTokens: 2_000), contextWindow: 100_000)

        let plan = try #require(planner.plan(messages))

        #expect(plan.previousSummary == summary)
        #expect(plan.toSummarise == [Self.user(3_000)])
        #expect(plan.firstKeptIndex == 2)
    }

    @Test func fileActivityComesFromToolCalls() {
        var activity = FileActivity()
        activity.record([Self.call("1", "read", path: "a.swift"), Self.call("2", "edit", path: "b.swift"),
                         Self.call("3", "read", path: "b.swift"), Self.call("4", "write", path: "c.swift")])
        #expect(activity.readOnly == ["a.swift"])
        #expect(activity.modifiedSorted == ["b.swift", "c.swift"])
    }
}

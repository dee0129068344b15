import PieAgent
import PieAutomations
import PieLocal
import PiePolicy
import PieRuntime
import Testing

@testable import PieScheduler

/// What an automation's run is assembled from: its file, never the serving process's policy
/// variables; its budget and outcome mapping.
@Suite struct AgentRunExecutorTests {
    static let run = RunRecordFixture.make(id: 7)

    @Test func policyVariablesOfTheServingProcessAreRemoved() throws {
        let environment = [
            "HOME": "/home/user", "PIE_DIR": "/home/user/.pie", PolicyBuilder.presetVariable: "permissive",
            PolicyBuilder.profileVariable: "/tmp/loose.toml", "PATH": "/usr/bin",
        ]
        let kept = AgentRunExecutor.withoutPolicyVariables(environment)
        #expect(kept == ["HOME": "/home/user", "PIE_DIR": "/home/user/.pie", "PATH": "/usr/bin"])
        let fieldVariables = PolicyField.allCases.compactMap(\.environmentVariable)
        #expect(!fieldVariables.isEmpty)
        let all = Dictionary(uniqueKeysWithValues: fieldVariables.map { ($0, "x") })
        #expect(AgentRunExecutor.withoutPolicyVariables(all).isEmpty)
    }

    @Test func optionsComeFromTheFileAndStayHardenedWhateverTheEnvironmentSaid() throws {
        let automation = try Fixture.automation(
            "nightly",
            """
            prompt = "p"
            model = "ds4:deepseek-v4-flash"
            fallback_models = ["local:small"]
            [trigger]
            every = "1h"
            [run]
            max_turns = 12
            timeout = "5m"
            """, directory: "/work/app")
        let options = AgentRunExecutor.options(for: automation, run: Self.run, project: "/work/app", session: nil)
        #expect(options.model.model == "ds4:deepseek-v4-flash" && options.model.fallbacks == ["local:small"])
        #expect(options.policy == PolicySelection(preset: .hardened))
        #expect(options.maxTurns == 12 && options.turnTimeoutMilliseconds == 300_000)
        #expect(options.auditTag == "automation:nightly:run:7" && options.session == .new)
        let environment = AgentRunExecutor.withoutPolicyVariables(["HOME": "/tmp", PolicyBuilder.presetVariable: "permissive"])
        let effective = try options.policy.effectivePolicy(cwd: "/tmp", environment: environment)
        #expect(effective.policy.preset == .hardened)
        // Resuming a continued session by its id.
        #expect(AgentRunExecutor.options(for: automation, run: Self.run, project: "/w", session: "0193abc").session == .id("0193abc"))
    }

    @Test func aProjectAutomationRunsInItsProject() throws {
        let automation = try Fixture.every("tick", "1m")
        #expect(AgentRunExecutor.project(of: automation, defaultProject: "/elsewhere") == "/project")
    }

    @Test func outcomesMapToStatesAndReasons() {
        let budget = RunBudget(maxTokens: 10, maxCost: nil, pricing: ModelPricing())
        func result(_ outcome: AgentRunOutcome) -> AgentRunResult {
            let reply = AssistantMessage(content: [.text("Final words.")], model: "m")
            return AgentRunResult(outcome: outcome, newMessages: [.assistant(reply)], context: [], usage: Usage())
        }
        let settings = RunSettings()
        #expect(AgentRunExecutor.outcome(result(.completed), budget: budget, settings: settings)
            == RunOutcome(state: .succeeded, finalMessage: "Final words."))
        #expect(AgentRunExecutor.outcome(result(.timedOut), budget: budget, settings: settings).state == .timedOut)
        #expect(AgentRunExecutor.outcome(result(.timedOut), budget: budget, settings: settings).reason == "timeout 30m elapsed")
        let aborted = AgentRunExecutor.outcome(result(.aborted), budget: budget, settings: settings)
        #expect(aborted.state == .interrupted && aborted.retryable)
        let failed = AgentRunExecutor.outcome(result(.failed(message: "connection refused")), budget: budget, settings: settings)
        #expect(failed.state == .failed && failed.retryable && failed.reason == "the model call failed: connection refused")
        #expect(budget.record(Usage(input: 8, output: 3)))
        let stopped = AgentRunExecutor.outcome(result(.stoppedByHook), budget: budget, settings: settings)
        #expect(stopped == RunOutcome(state: .failed, reason: "max_tokens 10 exceeded: the run used 11 tokens", finalMessage: "Final words."))
        #expect(!stopped.retryable)
    }

    @Test func costLimitUsesTheModelsPrices() {
        let budget = RunBudget(maxTokens: nil, maxCost: 0.5, pricing: ModelPricing(input: 1_000_000, output: 0))
        #expect(!budget.record(Usage(input: 0, output: 100)))
        #expect(budget.record(Usage(input: 1, output: 0)))
        #expect(budget.exceeded == "max_cost 0.5 exceeded: the run cost $1.0")
    }
}

/// A run record built field by field, for tests that need one without a store.
enum RunRecordFixture {
    static func make(id: Int64) -> RunRecord {
        RunRecord(
            id: RunID(id), automationFile: "/project/.pie/automations/nightly.toml", automationID: "nightly", trigger: .cron,
            tick: nil, scheduledAt: Instant(secondsSinceEpoch: 0), notBefore: Instant(secondsSinceEpoch: 0), state: .running,
            attempt: 1, maxAttempts: 1, backoffSeconds: 30, retryOf: nil, startedAt: nil, endedAt: nil, tokens: 0, cost: 0,
            finalMessage: nil, sessionID: nil, sessionPath: nil, reason: nil, payload: nil, createdAt: Instant(secondsSinceEpoch: 0))
    }
}

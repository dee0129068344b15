import PieAgent
import Testing

@testable import PieRuntime

/// `Turnstile`, the one-at-a-time lock behind the sub-agents' shared approver.
@Suite("Turnstile")
struct TurnstileTests {
    @Test func waitersEnterInOrderAndACancelledOneNeverDoes() async {
        let turnstile = Turnstile()
        #expect(await turnstile.enter())

        let cancelled = Task { await turnstile.enter() }
        let queued = Task { await turnstile.enter() }
        // Let both queue behind the holder, then cancel the first.
        while turnstile.waitingCount < 2 { await Task.yield() }
        cancelled.cancel()
        #expect(await cancelled.value == false)

        turnstile.leave()
        #expect(await queued.value == true)
        turnstile.leave()
        #expect(await turnstile.enter())
    }
}

/// `OneAtATimeApprover`: the sub-agents' shared approver never has two questions open.
@Suite("OneAtATimeApprover")
struct OneAtATimeApproverTests {
    @Test func twoQuestionsAtOnceAreAskedOneAfterTheOther() async {
        let counting = CountingApprover()
        let approver = OneAtATimeApprover(base: counting)
        let request = ApprovalRequest(callID: "c", tool: "write", arguments: "{}", rule: "ask_paths", reason: "held")

        async let first = approver.approve(request)
        async let second = approver.approve(request)
        let answers = await [first, second]

        #expect(answers.allSatisfy { $0.approved })
        #expect(counting.asked == ["write", "write"])
        #expect(counting.mostOpen == 1)
    }
}

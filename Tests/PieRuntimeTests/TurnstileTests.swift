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

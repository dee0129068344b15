import PieAutomations
import Testing
@testable import PieWebhooks

@Suite struct ReplayAndDebounceTests {
    func at(_ seconds: Int64) -> Instant { Instant(secondsSinceEpoch: seconds) }

    @Test("a delivery's keys: the delivery id (when sent) and always the signature")
    func keys() {
        #expect(ReplayKey.keys(of: VerifiedSignature(signatureHex: "ab", deliveryID: "d-1")) == [.deliveryID("d-1"), .signature("ab")])
        #expect(ReplayKey.keys(of: VerifiedSignature(signatureHex: "ab", deliveryID: nil)) == [.signature("ab")])
        #expect(ReplayKey.keys(of: VerifiedSignature(signatureHex: "ab", deliveryID: "")) == [.signature("ab")])
        // The two kinds never collide in a store's key column.
        #expect(ReplayKey.signature("x").storageKey != ReplayKey.deliveryID("x").storageKey)
    }

    @Test("the replay window: a key is a replay until exactly window seconds after it was seen")
    func window() throws {
        let window = try #require(ReplayWindow(seconds: 3_600))
        #expect(window.isReplay(seenAt: at(1_000), now: at(1_000)))
        #expect(window.isReplay(seenAt: at(1_000), now: at(4_599)))
        #expect(!window.isReplay(seenAt: at(1_000), now: at(4_600)))
        #expect(window.expiry(seenAt: at(1_000)) == at(4_600))
        // A clock stepped back: still a replay.
        #expect(window.isReplay(seenAt: at(1_000), now: at(900)))
        #expect(ReplayWindow.standard.seconds == 86_400)
    }

    @Test("no window shorter than a Slack signature stays valid (ten minutes) is accepted")
    func windowMinimum() {
        #expect(ReplayWindow.minimumSeconds == 600)
        #expect(ReplayWindow(seconds: 599) == nil)
        #expect(ReplayWindow(seconds: 600)?.seconds == 600)
    }

    @Test("only Slack's url_verification JSON carries a challenge")
    func challenges() {
        #expect(SlackURLVerification.challenge(in: Array(#"{"type":"url_verification","challenge":"abc"}"#.utf8)) == "abc")
        #expect(SlackURLVerification.challenge(in: Array(#"{"type":"event_callback","challenge":"abc"}"#.utf8)) == nil)
        #expect(SlackURLVerification.challenge(in: Array(#"{"type":"url_verification"}"#.utf8)) == nil)
        #expect(SlackURLVerification.challenge(in: Array("type=url_verification&challenge=abc".utf8)) == nil)
        #expect(SlackURLVerification.challenge(in: Array(#"{"type":"url_verification","challenge":"#.utf8)) == nil)
    }

    @Test("no debounce: every delivery queues a run due at once, pending or not")
    func noDebounce() {
        let window = DebounceWindow(nil)
        let pending = DebounceWindow.PendingRun(runID: "r1", dueAt: at(2_000))
        #expect(window.decide(now: at(1_000), pending: nil) == .queue(dueAt: at(1_000)))
        #expect(window.decide(now: at(1_000), pending: pending) == .queue(dueAt: at(1_000)))
    }

    @Test("debounce: the first delivery queues a run due later; a burst joins it; the due time does not move")
    func debounce() {
        let window = DebounceWindow(AutomationDuration(seconds: 60))
        #expect(window.decide(now: at(1_000), pending: nil) == .queue(dueAt: at(1_060)))
        let pending = DebounceWindow.PendingRun(runID: "r1", dueAt: at(1_060))
        #expect(window.decide(now: at(1_000), pending: pending) == .coalesce(runID: "r1"))
        #expect(window.decide(now: at(1_059), pending: pending) == .coalesce(runID: "r1"))
        // Due (and about to start): the next delivery starts a new burst.
        #expect(window.decide(now: at(1_060), pending: pending) == .queue(dueAt: at(1_120)))
        #expect(DebounceWindow(seconds: -5).seconds == 0)
    }
}

import PieAutomations
import Testing

@testable import PieScheduler

/// The webhook adapter's one call: replay refused, bursts coalesced, the rest queued, durably.
@Suite struct DeliveryTests {
    static func webhook(debounce: String? = nil) throws -> Automation {
        let extra = debounce.map { ", debounce = \"\($0)\"" } ?? ""
        return try Fixture.automation(
            "deploy",
            """
            prompt = "Summarise the deploy."
            model = "local:m"
            [trigger]
            webhook = { path = "/hooks/deploy", secret_env = "DEPLOY_SECRET", signature = "hmac-sha256"\(extra) }
            [run]
            overlap = "queue"
            """)
    }

    @Test func aReplayedDeliveryQueuesNothing() throws {
        let scratch = try ScratchStore()
        defer { scratch.remove() }
        let store = try scratch.open()
        let automation = try Self.webhook()
        let now = try Fixture.instant("2026-01-01T00:00:00Z")
        let first = try store.admitDelivery(automation: automation, replayKeys: ["d-1"], body: "{\"a\":1}", receivedAt: now, debounce: nil)
        guard case .queued(let id) = first else { Issue.record("not queued: \(first)"); return }
        #expect(try store.run(id)?.payload == "{\"a\":1}" && store.run(id)?.trigger == .webhook)
        // Another connection (a second serve) sees the key too.
        let other = try scratch.open()
        #expect(try other.admitDelivery(automation: automation, replayKeys: ["d-1"], body: "x", receivedAt: now.plus(5), debounce: nil) == .replayed)
        #expect(try store.runs().count == 1)
        // A captured delivery resent under a fresh delivery id still carries its signature.
        let signed = try store.admitDelivery(
            automation: automation, replayKeys: ["id:d-9", "sig:abc"], body: "s", receivedAt: now.plus(6), debounce: nil)
        #expect(signed != .replayed)
        #expect(
            try store.admitDelivery(
                automation: automation, replayKeys: ["id:d-10", "sig:abc"], body: "s", receivedAt: now.plus(7), debounce: nil)
                == .replayed)
        #expect(try store.runs().count == 2)
        // After the replay window the key is forgotten.
        let window = AutomationDuration(seconds: 60)
        let late = try store.admitDelivery(
            automation: automation, replayKeys: ["d-2"], body: "b", receivedAt: now.plus(10), debounce: nil, replayWindow: window)
        #expect(late != .replayed)
        #expect(
            try store.admitDelivery(automation: automation, replayKeys: ["d-2"], body: "b", receivedAt: now.plus(100), debounce: nil, replayWindow: window)
                != .replayed)
    }

    @Test func aBurstWithinTheDebounceWindowIsOneRunWithTheNewestBody() throws {
        let scratch = try ScratchStore()
        defer { scratch.remove() }
        let store = try scratch.open()
        let automation = try Self.webhook(debounce: "60s")
        let debounce = AutomationDuration(seconds: 60)
        let now = try Fixture.instant("2026-01-01T00:00:00Z")
        let first = try store.admitDelivery(automation: automation, replayKeys: ["1"], body: "one", receivedAt: now, debounce: debounce)
        guard case .queued(let id) = first else { Issue.record("not queued: \(first)"); return }
        #expect(try store.run(id)?.notBefore == now.plus(60))
        #expect(try store.admitDelivery(automation: automation, replayKeys: ["2"], body: "two", receivedAt: now.plus(30), debounce: debounce) == .coalesced(id))
        #expect(try store.run(id)?.payload == "two")
        // The run does not start inside the window.
        #expect(try store.claimNext(owner: .current(), now: now.plus(59), leaseSeconds: 60, files: [automation.path]) == nil)
        #expect(try store.claimNext(owner: .current(), now: now.plus(60), leaseSeconds: 60, files: [automation.path])?.id == id)
        // After the window a delivery starts a new run.
        let after = try store.admitDelivery(automation: automation, replayKeys: ["3"], body: "three", receivedAt: now.plus(61), debounce: debounce)
        #expect(after != .coalesced(id) && after != .replayed)
    }

    @Test func triggeredRunsCarryTheirPayload() throws {
        let scratch = try ScratchStore()
        defer { scratch.remove() }
        let store = try scratch.open()
        let automation = try Fixture.automation(
            "built", "prompt = \"p\"\nmodel = \"local:m\"\n[trigger]\nfile = { path = \"/tmp/build.done\", on = \"created\" }\n")
        let now = try Fixture.instant("2026-01-01T00:00:00Z")
        let id = try store.enqueueTriggered(automation: automation, kind: .file, payload: "created /tmp/build.done", at: now)
        let run = try #require(try store.run(id))
        #expect(run.trigger == .file && run.payload == "created /tmp/build.done" && run.state == .queued && run.tick == nil)
    }
}

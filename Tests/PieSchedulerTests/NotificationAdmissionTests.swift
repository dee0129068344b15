import PieAutomations
import Testing

@testable import PieScheduler

/// MCP notifications as triggers: one waiting run per dedup key, which sees the newest
/// notification; a key whose run has started queues a new one.
@Suite struct NotificationAdmissionTests {
    static func mcp() throws -> Automation {
        try Fixture.automation(
            "issues",
            """
            prompt = "Triage what changed."
            model = "local:m"
            [trigger]
            mcp = { server = "gh", method = "notifications/resources/updated" }
            [run]
            overlap = "queue"
            """)
    }

    @Test func notificationsWithOneKeyCollapseIntoTheWaitingRunAndOtherKeysQueueTheirOwn() throws {
        let scratch = try ScratchStore()
        defer { scratch.remove() }
        let store = try scratch.open()
        let automation = try Self.mcp()
        let now = try Fixture.instant("2026-01-01T00:00:00Z")

        let first = try store.admitNotification(automation: automation, dedupKey: "mcp:gh:resources:a", body: "{\"n\":1}", receivedAt: now)
        guard case .queued(let run) = first else { Issue.record("not queued: \(first)"); return }
        #expect(try store.run(run)?.trigger == .mcp)
        let again = try store.admitNotification(automation: automation, dedupKey: "mcp:gh:resources:a", body: "{\"n\":2}", receivedAt: now.plus(1))
        #expect(again == .coalesced(run))
        #expect(try store.run(run)?.payload == "{\"n\":2}")

        let other = try store.admitNotification(automation: automation, dedupKey: "mcp:gh:resources:b", body: "{\"n\":3}", receivedAt: now.plus(2))
        guard case .queued(let otherRun) = other else { Issue.record("not queued: \(other)"); return }
        #expect(otherRun != run)
        #expect(try store.runs().count == 2)

        // Once the key's run has started, the next notification is news: a new run waits.
        let claimed = try store.claimNext(owner: .current(), now: now.plus(3), leaseSeconds: 60, files: [automation.path])
        #expect(claimed?.id == run)
        let later = try store.admitNotification(automation: automation, dedupKey: "mcp:gh:resources:a", body: "{\"n\":4}", receivedAt: now.plus(4))
        guard case .queued(let laterRun) = later else { Issue.record("not queued: \(later)"); return }
        #expect(laterRun != run && laterRun != otherRun)
        #expect(try store.run(run)?.payload == "{\"n\":2}")
    }
}

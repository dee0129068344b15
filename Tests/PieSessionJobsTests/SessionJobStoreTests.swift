import Foundation
import PieAutomations
import PieSessionJobs
import Testing

@Suite("session job store: atomic files beside the session, never rewriting what it cannot read")
struct SessionJobStoreTests {
    @Test("cron jobs go to .cron.toml and triggers to .triggers.json, ids counting up by kind")
    func addAndList() throws {
        let scratch = try ScratchSession()
        defer { scratch.remove() }
        let store = SessionJobStore(rules: rules)
        #expect(store.open(sessionPath: scratch.sessionPath) == [])
        let c1 = try store.add(.cron(expression: "@hourly", timezone: nil), prompt: "a", origin: .user, fireOnce: false, now: instant(start))
        let c2 = try store.add(.cron(expression: "0 9 * * *", timezone: "Europe/Berlin"), prompt: "b", origin: .model, fireOnce: false, now: instant(start))
        let t1 = try store.add(.every(AutomationDuration(seconds: 3600)), prompt: "c", origin: .model, fireOnce: true, now: instant(start))
        #expect([c1.id, c2.id, t1.id] == ["c1", "c2", "t1"])
        #expect(scratch.files.cron == scratch.directory + "/2027-01-15_0001.cron.toml")
        #expect(scratch.read(scratch.files.cron)?.contains("timezone = \"Europe/Berlin\"") == true)
        #expect(scratch.read(scratch.files.triggers)?.contains("\"fire_once\": true") == true)

        let reopened = SessionJobStore(rules: rules)
        #expect(reopened.open(sessionPath: scratch.sessionPath) == [])
        #expect(reopened.snapshot.jobs == store.snapshot.jobs)

        try store.remove("c1")
        let c3 = try store.add(.cron(expression: "@daily", timezone: nil), prompt: "d", origin: .user, fireOnce: false, now: instant(start))
        #expect(c3.id == "c3", "an id is not handed out again while a later one exists")
        let disabled = try store.setEnabled("c2", false)
        #expect(!disabled.enabled)
        #expect(throws: SessionJobError.self) { try store.remove("c9") }
    }

    @Test("a file with an error is used for its valid jobs but never rewritten; fixed by hand, it is written again")
    func brokenFileIsKept() throws {
        let scratch = try ScratchSession()
        defer { scratch.remove() }
        let broken = "[[job]]\nid = \"c1\"\ncron = \"@hourly\"\nprompt = \"good\"\n\n[[job]]\nid = \"c2\"\ncron = \"0 24 * * *\"\nprompt = \"bad\"\n"
        try scratch.write(scratch.files.cron, broken)
        let store = SessionJobStore(rules: rules)
        let issues = store.open(sessionPath: scratch.sessionPath)
        #expect(issues.map(\.line) == [8])
        #expect(store.snapshot.cron.map(\.id) == ["c1"])

        let error = #expect(throws: SessionJobError.self) {
            try store.add(.cron(expression: "@daily", timezone: nil), prompt: "new", origin: .user, fireOnce: false, now: instant(start))
        }
        #expect(error?.message.hasPrefix("\(scratch.files.cron):8: job.cron:") == true)
        #expect(throws: SessionJobError.self) { try store.setEnabled("c1", false) }
        #expect(scratch.read(scratch.files.cron) == broken)

        try scratch.write(scratch.files.cron, broken.replacingOccurrences(of: "0 24 * * *", with: "0 23 * * *"))
        let added = try store.add(.cron(expression: "@daily", timezone: nil), prompt: "new", origin: .user, fireOnce: false, now: instant(start))
        #expect(added.id == "c3")
        #expect(store.snapshot.cron.map(\.id) == ["c1", "c2", "c3"], "the hand-fixed job is kept")
    }

    @Test("a change re-reads the file, so a job added by hand meanwhile is not lost")
    func handEditKept() throws {
        let scratch = try ScratchSession()
        defer { scratch.remove() }
        let store = SessionJobStore(rules: rules)
        store.open(sessionPath: scratch.sessionPath)
        _ = try store.add(.cron(expression: "@hourly", timezone: nil), prompt: "a", origin: .user, fireOnce: false, now: instant(start))
        let text = try #require(scratch.read(scratch.files.cron))
        try scratch.write(scratch.files.cron, text + "\n[[job]]\nid = \"c5\"\ncron = \"@weekly\"\nprompt = \"by hand\"\n")
        let added = try store.add(.cron(expression: "@daily", timezone: nil), prompt: "b", origin: .user, fireOnce: false, now: instant(start))
        #expect(added.id == "c6")
        #expect(store.snapshot.cron.map(\.id) == ["c1", "c5", "c6"])
    }

    @Test("a session that is not saved keeps no jobs, and says why")
    func noSession() {
        let store = SessionJobStore(rules: rules)
        store.open(sessionPath: nil)
        let error = #expect(throws: SessionJobError.self) {
            try store.add(.cron(expression: "@hourly", timezone: nil), prompt: "a", origin: .user, fireOnce: false, now: instant(start))
        }
        #expect(error?.message.contains("--no-session") == true)
    }

    @Test("a one-shot job is turned off with the time it fired; a repeating one is left as it is")
    func recordFired() throws {
        let scratch = try ScratchSession()
        defer { scratch.remove() }
        let store = SessionJobStore(rules: rules)
        store.open(sessionPath: scratch.sessionPath)
        _ = try store.add(.at(instant(start + 60), text: "2027-01-15T08:01:30Z"), prompt: "once", origin: .model, fireOnce: false, now: instant(start))
        _ = try store.add(.every(AutomationDuration(seconds: 60)), prompt: "again", origin: .model, fireOnce: false, now: instant(start))
        try store.recordFired("t1", at: instant(start + 60))
        try store.recordFired("t2", at: instant(start + 60))
        let jobs = SessionJobStore(rules: rules)
        jobs.open(sessionPath: scratch.sessionPath)
        #expect(jobs.snapshot.job("t1")?.enabled == false)
        #expect(jobs.snapshot.job("t1")?.firedAt == instant(start + 60))
        #expect(jobs.snapshot.job("t2")?.enabled == true)
        #expect(jobs.snapshot.job("t2")?.firedAt == nil)
    }

    @Test("what cannot be a session job is refused with what to write instead")
    func rulesRefuse() {
        #expect(throws: SessionJobError.self) {
            try rules.cron("* * *", timezone: nil)
        }
        let zone = #expect(throws: SessionJobError.self) { try rules.cron("@daily", timezone: "Nowhere/City") }
        #expect(zone?.message.hasPrefix("timezone:") == true)
        let past = #expect(throws: SessionJobError.self) { try rules.at("2020-01-01T00:00:00Z", now: instant(start)) }
        #expect(past?.message.contains("is in the past") == true)
        #expect(throws: SessionJobError.self) { try rules.interval("30s", field: "every") }
        #expect(throws: SessionJobError.self) { try rules.prompt("   ") }
        #expect(throws: SessionJobError.self) { try rules.prompt(String(repeating: "x", count: 9_000)) }
        #expect(throws: SessionJobError.self) { try rules.filePath("relative/path") }
        #expect(throws: SessionJobError.self) { try rules.check(.at(instant(start), text: "tomorrow")) }
    }
}

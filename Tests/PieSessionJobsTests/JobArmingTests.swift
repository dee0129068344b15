import PieAutomations
import PieSessionJobs
import Testing

@Suite("arming session clock jobs: next ticks, no backfill, at most one run per wake")
struct JobArmingTests {
    func job(_ id: String, _ trigger: AutomationTrigger, enabled: Bool = true) -> SessionJob {
        SessionJob(id: id, trigger: trigger, prompt: "p", enabled: enabled, origin: .user, created: instant(0))
    }

    @Test("a cron job fires at its tick, then is armed for the next one")
    func cronTicks() {
        var arming = JobArming()
        arming.arm([job("c1", .cron(expression: "*/5 * * * *", timezone: nil))], now: instant(start), rules: rules)
        #expect(arming.nextWake == instant(start + 270))
        #expect(arming.due(at: instant(start + 269)).isEmpty)
        #expect(arming.due(at: instant(start + 270)).map(\.instant) == [instant(start + 270)])
        #expect(arming.due(at: instant(start + 270)).isEmpty, "a tick fires once")
        #expect(arming.next(of: "c1") == instant(start + 570))
    }

    @Test("ticks that passed while nobody ran the session are not run afterwards (no backfill)")
    func noBackfill() {
        var arming = JobArming()
        // Armed an hour after the last time the session was open: only future ticks count.
        arming.arm([job("c1", .cron(expression: "*/5 * * * *", timezone: nil))], now: instant(start + 3600), rules: rules)
        #expect(arming.due(at: instant(start + 3600)).isEmpty)
        #expect(arming.nextWake == instant(start + 3600 + 270))
    }

    @Test("a wake after several ticks runs the job once and re-arms after now")
    func sleptThroughTicks() {
        var arming = JobArming()
        arming.arm([job("c1", .cron(expression: "* * * * *", timezone: nil))], now: instant(start), rules: rules)
        let ticks = arming.due(at: instant(start + 600))
        #expect(ticks.count == 1)
        #expect(ticks.first?.instant == instant(start + 30))
        #expect(arming.nextWake == instant(start + 630))
    }

    @Test("every counts from when it was armed; a passed at is missed, a future one fires once; disabled jobs wait")
    func everyAndAt() {
        var arming = JobArming()
        arming.arm(
            [
                job("t1", .every(AutomationDuration(seconds: 900))),
                job("t2", .at(instant(start - 10), text: "past")),
                job("t3", .at(instant(start + 100), text: "soon")),
                job("t4", .every(AutomationDuration(seconds: 60)), enabled: false),
                job("t5", .file(path: "/x", on: .created)),
            ], now: instant(start), rules: rules)
        #expect(arming.missed.map(\.id) == ["t2"])
        #expect(arming.next(of: "t1") == instant(start + 900))
        #expect(arming.next(of: "t4") == nil)
        #expect(arming.next(of: "t5") == nil, "file and command triggers are not the clock's")
        #expect(arming.due(at: instant(start + 100)).map(\.job.id) == ["t3"])
        #expect(arming.next(of: "t3") == nil)
        #expect(arming.due(at: instant(start + 900)).map(\.job.id) == ["t1"])
    }

    @Test("re-arming keeps an unchanged job's next tick and re-computes a changed one")
    func rearm() {
        var arming = JobArming()
        let every = job("t1", .every(AutomationDuration(seconds: 900)))
        arming.arm([every], now: instant(start), rules: rules)
        arming.arm([every], now: instant(start + 600), rules: rules)
        #expect(arming.next(of: "t1") == instant(start + 900))
        arming.arm([job("t1", .every(AutomationDuration(seconds: 60)))], now: instant(start + 600), rules: rules)
        #expect(arming.next(of: "t1") == instant(start + 660))
    }

    @Test("a cron job follows its zone: 09:00 in Berlin is 08:00 UTC in winter")
    func zone() {
        var arming = JobArming()
        arming.arm([job("c1", .cron(expression: "0 9 * * *", timezone: "Europe/Berlin"))], now: instant(start), rules: rules)
        // 2027-01-16T08:00:00Z
        #expect(arming.nextWake == instant(1_800_086_400))
    }
}

import Testing
@testable import PieAutomations

@Suite("importing rust-pi events")
struct EventImportTests {
    @Test("6- and 7-field crons with second 0 and any year convert to five fields")
    func cronConversions() {
        let cases: [(String, String)] = [
            ("0 0/15 * * * * *", "0-59/15 * * * *"),
            ("0 30 2 * * Mon-Fri", "30 2 * * Mon-Fri"),
            ("0 30 2 * * 2-6", "30 2 * * 1-5"),
            ("0 0 9 * * 1,7", "0 9 * * 0,6"),
            ("0 0 9 * * 2/2", "0 9 * * 1-6/2"),
            ("0 0 12 1 * ?", "0 12 1 * *"),
            ("0 5/10 8-18 * Jan-Jun *", "5-59/10 8-18 * Jan-Jun *"),
            ("0 0 0 1 1 * *", "0 0 1 1 *"),
            ("0 0 9 */2 * Mon", "0 9 */2 * Mon"),
        ]
        for (rust, vixie) in cases {
            #expect(RustPiCron.convert(rust) == .success(vixie), "\(rust)")
        }
    }

    @Test("crons that mean something five fields cannot say are refused with the reason")
    func cronRefusals() {
        let cases: [(String, String)] = [
            ("30 * * * * *", "fires at second '30'"),
            ("*/10 * * * * *", "fires at second '*/10'"),
            ("0 0 0 1 1 * 2027", "restricts the year to '2027'"),
            ("0 0 9 1 * Mon", "restricts both day-of-month and day-of-week"),
            ("0 0 9 * *", "has 5 fields"),
            ("0 0 9 * * 8", "day-of-week '8'"),
        ]
        for (rust, reason) in cases {
            guard case .failure(let refusal) = RustPiCron.convert(rust) else {
                Issue.record("\(rust) converted")
                continue
            }
            #expect(refusal.description.contains(reason), "\(rust): \(refusal)")
        }
    }

    static let model = ModelReference("ds4:deepseek-v4-flash")!

    @Test("a periodic event becomes a cron automation that the parser accepts, with rust-pi's cron and channel noted")
    func periodic() throws {
        let event = RustPiEvent(
            id: "daily-status", channel: "github/owner/repo#42", prompt: "Summarise \"CI\"\nfailures.",
            schedule: .periodic(cron: "0 0 9 * * Mon-Fri", timezone: "UTC"), enabled: false)
        let imported = try EventImporter.convert(
            event, file: "/e/daily.json", model: Self.model, scope: .project, context: FileSupport.context()
        ).get()
        #expect(imported.id.rawValue == "daily-status")
        #expect(imported.text.contains("rust-pi: \"0 0 9 * * Mon-Fri\""))
        #expect(imported.text.contains("channel \"github/owner/repo#42\""))
        let automation = try #require(FileSupport.parse(imported.text, id: "daily-status").automation)
        #expect(automation.trigger == .cron(expression: "0 9 * * Mon-Fri", timezone: "UTC"))
        #expect(automation.prompt == "Summarise \"CI\"\nfailures.")
        #expect(automation.enabled == false)
        #expect(automation.model == Self.model)
    }

    @Test("immediate events run a minute after the import unless stale; a past at is refused, a future one kept")
    func oneShots() throws {
        let context = FileSupport.context()
        let now = FileSupport.now.secondsSinceEpoch
        let fresh = RustPiEvent(id: "now", channel: "c", prompt: "p", schedule: .immediate, createdUnixMilliseconds: (now - 60) * 1000)
        let imported = try EventImporter.convert(fresh, file: "f", model: Self.model, scope: .project, context: context).get()
        let automation = try #require(FileSupport.parse(imported.text, id: "now").automation)
        guard case .at(let at, _) = automation.trigger else {
            Issue.record("not an at trigger: \(automation.trigger)")
            return
        }
        #expect(at.secondsSinceEpoch == now + 60)

        let stale = RustPiEvent(id: "old", channel: "c", prompt: "p", schedule: .immediate, createdUnixMilliseconds: (now - 90_000) * 1000)
        #expect(throws: ImportRefusal.self) { try EventImporter.convert(stale, file: "f", model: Self.model, scope: .project, context: context).get() }

        let past = RustPiEvent(id: "past", channel: "c", prompt: "p", schedule: .at(unixMilliseconds: (now - 10) * 1000))
        #expect(throws: ImportRefusal.self) { try EventImporter.convert(past, file: "f", model: Self.model, scope: .project, context: context).get() }

        let future = RustPiEvent(id: "later", channel: "c", prompt: "p", schedule: .at(unixMilliseconds: (now + 3_600) * 1000 + 999))
        let later = try EventImporter.convert(future, file: "f", model: Self.model, scope: .project, context: context).get()
        #expect(FileSupport.parse(later.text, id: "later").automation?.trigger.kind == "at")
    }

    @Test("an id that is not a safe file name is refused")
    func unsafeID() {
        let event = RustPiEvent(id: "../../etc/x", channel: "c", prompt: "p", schedule: .immediate)
        #expect(throws: ImportRefusal.self) {
            try EventImporter.convert(event, file: "f", model: Self.model, scope: .project, context: FileSupport.context()).get()
        }
    }
}

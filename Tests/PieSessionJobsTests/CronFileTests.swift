import PieAutomations
import PieSessionJobs
import Testing

@Suite("session cron file: format, round trip, errors with file and line")
struct CronFileTests {
    let rules = SessionJobRules(environment: ["TZ": "UTC"])

    @Test("rendered jobs read back to the same jobs, prompts with quotes and newlines included")
    func roundTrip() {
        let jobs = [
            SessionJob(
                id: "c1", trigger: .cron(expression: "0 9 * * 1-5", timezone: nil), prompt: "Summarise \"new\" issues\nthen stop",
                origin: .user, created: Instant(secondsSinceEpoch: 1_800_000_000)),
            SessionJob(
                id: "c7", trigger: .cron(expression: "@daily", timezone: "Europe/Berlin"), prompt: "tab\there \\ backslash",
                enabled: false, origin: .model, created: Instant(secondsSinceEpoch: 1_800_000_060)),
        ]
        let text = CronFile.render(jobs)
        let read = CronFile.parse(text, path: "/s/x.cron.toml", rules: rules)
        #expect(read.issues == [])
        #expect(read.jobs == jobs)
    }

    @Test("a job written by hand with only id, cron and prompt reads with the defaults and is rewritten without inventing a time")
    func minimal() {
        let read = CronFile.parse("[[job]]\nid = \"c4\"\ncron = \"@weekly\"\nprompt = \"tidy up\"\n", path: "f", rules: rules)
        #expect(read.issues == [])
        let job = read.jobs.first
        #expect(job?.enabled == true)
        #expect(job?.origin == .user)
        let text = CronFile.render(read.jobs)
        #expect(!text.contains("created"))
        #expect(CronFile.parse(text, path: "f", rules: rules).jobs == read.jobs)
    }

    @Test("a bad expression names the file, the line of its key and the field")
    func badExpression() throws {
        let text = """
            [[job]]
            id = "c1"
            cron = "0 9 * * *"
            prompt = "fine"

            [[job]]
            id = "c2"
            prompt = "broken"
            cron = "61 * * * *"
            """
        let read = CronFile.parse(text, path: "/s/x.cron.toml", rules: rules)
        #expect(read.jobs.map(\.id) == ["c1"])
        let issue = try #require(read.issues.first)
        #expect(read.issues.count == 1)
        #expect(issue.file == "/s/x.cron.toml")
        #expect(issue.line == 9)
        #expect(issue.field == "job.cron")
        #expect(issue.description.contains("61"))
    }

    @Test("unknown keys, a missing prompt, a bad zone and a duplicate id are each reported at their line")
    func manyProblems() {
        let text = """
            # comment
            [[job]]
            id = "c1"
            cron = "@hourly"
            promt = "typo"

            [[job]]
            id = "c2"
            cron = "0 * * * *"
            timezone = "Mars/Olympus"
            prompt = "p"

            [[job]]
            id = "c3"
            cron = "0 * * * *"
            prompt = "ok"

            [[job]]
            id = "c3"
            cron = "5 * * * *"
            prompt = "again"
            """
        let read = CronFile.parse(text, path: "f", rules: rules)
        #expect(read.jobs.map(\.id) == ["c3"])
        let found = read.issues.map { "\($0.line ?? 0) \($0.field ?? "")" }
        #expect(found.contains("5 job.promt"))
        #expect(found.contains("2 job.prompt"))
        #expect(found.contains("10 job.timezone"))
        #expect(found.contains("19 job.id"))
        #expect(read.issues.first { $0.field == "job.promt" }?.message.contains("did you mean 'prompt'") == true)
    }

    @Test("a TOML syntax error is reported with its line and no job is read")
    func syntax() {
        let read = CronFile.parse("[[job]]\nid = \"c1\"\ncron = \"0 * * * *\nprompt = \"x\"\n", path: "f", rules: rules)
        #expect(read.jobs.isEmpty)
        #expect(read.issues.count == 1)
        #expect(read.issues.first?.line == 3)
        #expect(read.issues.first?.message.hasPrefix("is not valid TOML") == true)
    }

    @Test("a multi-line prompt's text is not taken for keys when lines are counted")
    func multiline() {
        let text = "[[job]]\nid = \"c1\"\nprompt = \"\"\"\nbad = 1\n[[job]]\n\"\"\"\ncron = \"99 * * * *\"\n"
        let read = CronFile.parse(text, path: "f", rules: rules)
        #expect(read.issues.count == 1)
        #expect(read.issues.first?.line == 7)
    }
}

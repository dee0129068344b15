import PieAutomations
import PieSessionJobs
import Testing

@Suite("session triggers file: c4pt0r's {version, rules} with pie's trigger kinds")
struct TriggersFileTests {
    @Test("every kind renders and reads back to the same rules")
    func roundTrip() {
        let made = [
            TriggersFile.Rule(
                job: SessionJob(id: "t1", trigger: .at(instant(start + 60), text: "2027-01-15T08:01:30Z"), prompt: "once", origin: .model, created: instant(start)),
                fireOnce: true),
            TriggersFile.Rule(
                job: SessionJob(id: "t2", trigger: .every(AutomationDuration(seconds: 900)), prompt: "poll \"x\"", enabled: false, origin: .user, created: instant(start)),
                fireOnce: false),
            TriggersFile.Rule(
                job: SessionJob(id: "t3", trigger: .file(path: "/tmp/build.done", on: .created), prompt: "build checks", origin: .model, created: instant(start), firedAt: instant(start + 5)),
                fireOnce: true),
            TriggersFile.Rule(
                job: SessionJob(id: "t4", trigger: .command(run: "test -f x", every: AutomationDuration(seconds: 60), fire: .change), prompt: "probe", origin: .model, created: instant(start)),
                fireOnce: false),
        ]
        let bytes = TriggersFile.render(made)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix("{\n"))
        #expect(text.contains("\"version\": 1"))
        let read = TriggersFile.parse(bytes, path: "f", rules: rules)
        #expect(read.issues == [])
        #expect(read.rules == made)
    }

    @Test("a syntax error names the line; a cron rule, an unknown kind and an unknown key are refused by field")
    func errors() {
        let broken = Array("{\"version\": 1,\n\"rules\": [\n{\"id\": \"t1\",,}\n]}".utf8)
        let syntax = TriggersFile.parse(broken, path: "f.json", rules: rules)
        #expect(syntax.rules.isEmpty)
        #expect(syntax.issues.first?.line == 3)
        #expect(syntax.issues.first?.description.hasPrefix("f.json:3: is not valid JSON") == true)

        let text = """
            {"version": 1, "rules": [
              {"id": "t1", "trigger": {"cron": "0 * * * *"}, "prompt": "p"},
              {"id": "t2", "trigger": {"webhook": {}}, "prompt": "p"},
              {"id": "t3", "trigger": {"every": "10s"}, "prompt": "p"},
              {"id": "t4", "trigger": {"every": "1h"}, "prompt": "p", "colour": "red"},
              {"id": "t5", "trigger": {"file": {"path": "relative.txt", "on": "created"}}, "prompt": "p"},
              {"id": "t6", "trigger": {"every": "1h"}, "prompt": "ok"},
              {"id": "t6", "trigger": {"every": "2h"}, "prompt": "twice"}
            ]}
            """
        let read = TriggersFile.parse(Array(text.utf8), path: "f", rules: rules)
        #expect(read.rules.map(\.job.id) == ["t6"])
        let messages = read.issues.map { "\($0.field ?? ""): \($0.message)" }
        #expect(messages.contains("rules[0].trigger: cron jobs belong in the session's .cron.toml"))
        #expect(messages.contains("rules[1].trigger: 'webhook' is not a session trigger"))
        #expect(messages.contains("rules[2].trigger: every \"10s\" is shorter than a minute"))
        #expect(messages.contains("rules[3].colour: unknown key 'colour'"))
        #expect(messages.contains("rules[4].trigger: file \"relative.txt\" is not an absolute path"))
        #expect(messages.contains("rules[6].id: the id 't6' is used twice"))
    }

    @Test("another version is refused rather than misread")
    func version() {
        let read = TriggersFile.parse(Array("{\"version\": 2, \"rules\": []}".utf8), path: "f", rules: rules)
        #expect(read.issues.first?.field == "version")
    }
}

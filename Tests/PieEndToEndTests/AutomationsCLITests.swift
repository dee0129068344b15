import Foundation
import Testing

/// `pie automations list|show|validate|next ID|enable|disable|remove|import` run as a user would,
/// on real files, with `--json` parsed and exit codes checked.
@Suite("pie automations: files")
struct AutomationsCLITests {
    static let nightly = """
        # Nightly tests: this comment must survive enable and disable.
        prompt = "Run the tests and summarise failures."
        model = "ds4:deepseek-v4-flash"   # local
        enabled = true
        [trigger]
        cron = "30 2 * * 1-5"
        timezone = "Europe/Berlin"
        [run]
        max_cost = 0.5

        """

    static let broken = "prompt = \"p\"\nmodel = \"ds4:x\"\n[trigger]\ncron = \"30 2 * * 1-5\"\nevery = \"1h\"\n"

    /// A project with nightly (project), a broken project file, and a user automation.
    static func project() throws -> ScratchProject {
        let project = try ScratchProject()
        try project.write(".pie/automations/nightly.toml", nightly)
        try project.write(".pie/automations/broken.toml", broken)
        try project.write(".home/.pie/automations/hourly.toml", "prompt = \"p\"\nmodel = \"ds4:x\"\n[trigger]\nevery = \"1h\"\n")
        return project
    }

    @Test("list --json shows both scopes and every invalid file with its line and field; exit 0")
    func list() async throws {
        let project = try Self.project()
        defer { project.remove() }
        let result = try await runPie(["automations", "list", "--json"], cwd: project.path)
        #expect(result.status == 0)
        let json = try parseJSON(result.stdout)
        let automations = try #require(json["automations"] as? [[String: Any]])
        #expect(automations.map { "\($0["scope"] ?? ""):\($0["id"] ?? "")" } == ["project:nightly", "user:hourly"])
        let trigger = try #require(automations[0]["trigger"] as? [String: Any])
        #expect(trigger["kind"] as? String == "cron" && trigger["timezone"] as? String == "Europe/Berlin")
        let run = try #require(automations[0]["run"] as? [String: Any])
        #expect(run["max_cost"] as? Double == 0.5 && run["approval_timeout"] as? String == "1h")
        #expect(automations[0]["tool_policy_preset"] as? String == "hardened")
        #expect(json["invalid_files"] as? [String] == [project.path + "/.pie/automations/broken.toml"])
        let issue = try #require((json["issues"] as? [[String: Any]])?.first)
        #expect(issue["line"] as? Int == 5 && issue["field"] as? String == "trigger.every")

        let human = try await runPie(["automations", "list"], cwd: project.path)
        #expect(human.status == 0)
        #expect(human.stdout.contains("nightly  project  enabled   cron \"30 2 * * 1-5\" (Europe/Berlin)"))
        #expect(human.stdout.contains("hourly   user     enabled   every 1h"))
        #expect(human.stdout.contains("invalid  \(project.path)/.pie/automations/broken.toml"))
        #expect(human.stderr.contains("broken.toml:5: trigger.every: more than one trigger: cron, every"))
    }

    @Test("validate: exit 0 when valid, 1 when any file is invalid, 2 for usage; --json parses")
    func validate() async throws {
        let project = try Self.project()
        defer { project.remove() }
        let all = try await runPie(["automations", "validate", "--json"], cwd: project.path)
        #expect(all.status == 1)
        let json = try parseJSON(all.stdout)
        #expect(json["valid"] as? Bool == false)
        #expect((json["files"] as? [[String: Any]])?.count == 3)
        let good = try await runPie(["automations", "validate", ".pie/automations/nightly.toml"], cwd: project.path)
        #expect(good.status == 0)
        #expect(good.stdout.contains("1 file checked, 0 invalid"))
        let bad = try await runPie(["automations", "validate", ".pie/automations/broken.toml"], cwd: project.path)
        #expect(bad.status == 1)
        #expect(bad.stdout.contains("broken.toml:5: trigger.every:"))
        let directory = try await runPie(["automations", "validate", ".home/.pie/automations"], cwd: project.path)
        #expect(directory.status == 0)
        let missing = try await runPie(["automations", "validate", "nothing-here"], cwd: project.path)
        #expect(missing.status == 2)
    }

    @Test("validate --serve turns a missing webhook secret from a warning into an error")
    func secretForServe() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        try project.write(
            ".pie/automations/deploy.toml",
            "prompt = \"p\"\nmodel = \"ds4:x\"\n[trigger]\nwebhook = { path = \"/hooks/deploy\", secret_env = \"DEPLOY_SECRET\", signature = \"github-sha256\" }\n")
        let inspect = try await runPie(["automations", "validate"], cwd: project.path)
        #expect(inspect.status == 0)
        #expect(inspect.stdout.contains("deploy.toml:4: warning: trigger.webhook.secret_env: the environment variable DEPLOY_SECRET is not set"))
        let serve = try await runPie(["automations", "validate", "--serve"], cwd: project.path)
        #expect(serve.status == 1)
        let set = try await runPie(["automations", "validate", "--serve"], cwd: project.path, environment: ["DEPLOY_SECRET": "s"])
        #expect(set.status == 0)
    }

    @Test("show --json and next ID --json from a fixed time")
    func showAndNext() async throws {
        let project = try Self.project()
        defer { project.remove() }
        let show = try await runPie(["automations", "show", "nightly", "--json"], cwd: project.path)
        #expect(show.status == 0)
        let json = try parseJSON(show.stdout)
        #expect(json["id"] as? String == "nightly" && json["model"] as? String == "ds4:deepseek-v4-flash")
        #expect(json["enabled"] as? Bool == true && json["shadowed"] as? Bool == false)

        let next = try await runPie(
            ["automations", "next", "nightly", "--count", "2", "--from", "2026-12-04T12:00:00Z", "--json"], cwd: project.path)
        #expect(next.status == 0)
        let times = try JSONSerialization.jsonObject(with: Data(next.stdout.utf8)) as? [String]
        #expect(times == ["2026-12-07T02:30:00+01:00", "2026-12-08T02:30:00+01:00"])

        let every = try await runPie(["automations", "next", "hourly", "--count", "2", "--from", "2026-12-04T12:00:00Z"], cwd: project.path,
            environment: ["TZ": "UTC"])
        #expect(every.stdout == "2026-12-04T13:00:00+00:00\n2026-12-04T14:00:00+00:00\n")
        let invalid = try await runPie(["automations", "show", "broken"], cwd: project.path)
        #expect(invalid.status == 1)
        #expect(invalid.stderr.contains("broken.toml:5: trigger.every"))
        let unknown = try await runPie(["automations", "show", "nope"], cwd: project.path)
        #expect(unknown.status == 1)
        let unsafe = try await runPie(["automations", "show", "../nightly"], cwd: project.path)
        #expect(unsafe.status == 2)
        let both = try await runPie(["automations", "next", "nightly", "--cron", "* * * * *"], cwd: project.path)
        #expect(both.status == 2)
    }

    @Test("a file trigger has no next time: exit 1 with the reason")
    func notTimeBased() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        try project.write(".pie/automations/watch.toml", "prompt = \"p\"\nmodel = \"ds4:x\"\n[trigger]\nfile = { path = \"~/build.done\", on = \"created\" }\n")
        let result = try await runPie(["automations", "next", "watch"], cwd: project.path)
        #expect(result.status == 1)
        #expect(result.stderr.contains("a file trigger is not time-based"))
    }

    @Test("disable and enable rewrite only the enabled value: the file comes back byte for byte; broken files too")
    func enableDisable() async throws {
        let project = try Self.project()
        defer { project.remove() }
        let path = project.path + "/.pie/automations/nightly.toml"
        let disable = try await runPie(["automations", "disable", "nightly", "--json"], cwd: project.path)
        #expect(disable.status == 0)
        let json = try parseJSON(disable.stdout)
        #expect(json["enabled"] as? Bool == false && json["changed"] as? Bool == true && json["path"] as? String == path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == Self.nightly.replacingOccurrences(of: "enabled = true", with: "enabled = false"))
        let again = try await runPie(["automations", "disable", "nightly"], cwd: project.path)
        #expect(again.stdout.contains("nightly was already disabled"))
        let enable = try await runPie(["automations", "enable", "nightly"], cwd: project.path)
        #expect(enable.status == 0)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == Self.nightly)

        let broken = try await runPie(["automations", "disable", "broken"], cwd: project.path)
        #expect(broken.status == 0)
        let text = try String(contentsOfFile: project.path + "/.pie/automations/broken.toml", encoding: .utf8)
        #expect(text == "prompt = \"p\"\nmodel = \"ds4:x\"\nenabled = false\n[trigger]\ncron = \"30 2 * * 1-5\"\nevery = \"1h\"\n")
        let user = try await runPie(["automations", "disable", "hourly", "--scope", "user"], cwd: project.path)
        #expect(user.status == 0)
        let wrongScope = try await runPie(["automations", "disable", "hourly", "--scope", "project"], cwd: project.path)
        #expect(wrongScope.status == 1)
    }

    @Test("remove moves the file to .removed and the automation no longer lists")
    func remove() async throws {
        let project = try Self.project()
        defer { project.remove() }
        let result = try await runPie(["automations", "remove", "nightly", "--json"], cwd: project.path)
        #expect(result.status == 0)
        let json = try parseJSON(result.stdout)
        let moved = project.path + "/.pie/automations/nightly.toml.removed"
        #expect(json["moved_to"] as? String == moved)
        #expect(try String(contentsOfFile: moved, encoding: .utf8) == Self.nightly)
        let list = try parseJSON(try await runPie(["automations", "list", "--json"], cwd: project.path).stdout)
        #expect((list["automations"] as? [[String: Any]])?.map { $0["id"] as? String } == ["hourly"])
    }

    @Test("import converts rust-pi event files; refusals give the reason and exit 1; dry runs write nothing")
    func importEvents() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        try project.write(
            "events/daily-status.json",
            #"{"id":"daily-status","channel":"github/owner/repo#42","prompt":"Summarise CI.","schedule":{"type":"periodic","cron":"0 0/15 * * * * *","timezone":"UTC"},"enabled":true,"created_unix_ms":1700000000000}"#)
        try project.write(
            "events/every-30s.json",
            #"{"id":"every-30s","channel":"slack/C1","prompt":"p","schedule":{"type":"periodic","cron":"0/30 * * * * *","timezone":"UTC"}}"#)
        try project.write("events/state.json", #"{"schema_version":1,"periodic_last_run_unix_ms":{}}"#)
        try project.write("events/broken.json", "{not json")

        let dry = try await runPie(
            ["automations", "import", "--events-dir", "events", "--with-model", "ds4:flash", "--dry-run", "--json"], cwd: project.path)
        #expect(dry.status == 1)
        let json = try parseJSON(dry.stdout)
        #expect(json["dry_run"] as? Bool == true)
        let imported = try #require(json["imported"] as? [[String: Any]])
        #expect(imported.map { $0["id"] as? String } == ["daily-status"])
        #expect((imported[0]["text"] as? String)?.contains("cron = \"0-59/15 * * * *\"") == true)
        let refused = try #require(json["refused"] as? [[String: Any]])
        #expect(refused.count == 2)
        #expect(refused.contains { ($0["reason"] as? String)?.contains("fires at second '0/30'") == true })
        #expect(refused.contains { ($0["reason"] as? String)?.contains("not valid JSON") == true })
        #expect((json["skipped"] as? [[String: Any]])?.count == 1)
        #expect(!FileManager.default.fileExists(atPath: project.path + "/.pie/automations/daily-status.toml"))

        let real = try await runPie(["automations", "import", "--events-dir", "events", "--with-model", "ds4:flash"], cwd: project.path)
        #expect(real.status == 1)
        #expect(real.stdout.contains("imported \(project.path)/events/daily-status.json as \(project.path)/.pie/automations/daily-status.toml"))
        let validate = try await runPie(["automations", "validate"], cwd: project.path)
        #expect(validate.status == 0)
        let twice = try await runPie(["automations", "import", "--events-dir", "events", "--with-model", "ds4:flash"], cwd: project.path)
        #expect(twice.stdout.contains("daily-status.toml exists already"))
        let user = try await runPie(
            ["automations", "import", "--events-dir", "events", "--with-model", "ds4:flash", "--to", "user"], cwd: project.path)
        #expect(user.stdout.contains("\(project.path)/.home/.pie/automations/daily-status.toml"))
        let usage = try await runPie(["automations", "import", "--events-dir", "events", "--with-model", "flash"], cwd: project.path)
        #expect(usage.status == 2)
    }
}

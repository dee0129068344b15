import Foundation
import PieAgent
import PieAutomations
import PieJSON
import PieLocal
import PiePolicy
import PieSandbox
import PieSessionJobs
import Synchronization
import Testing

/// The schedule tool through the one dispatch path (`ToolRunner` with the policy gate and the
/// audit): asked, then added only when a person says yes; denied where nobody can be asked and
/// under hardened; invalid arguments answered before anyone is asked.
@Suite("the schedule tool: ask, confirm, deny, audit")
struct ScheduleToolTests {
    final class Approvals: Approver {
        let approved: Bool
        let asked = Mutex<[ApprovalRequest]>([])
        init(approved: Bool) { self.approved = approved }
        func approve(_ request: ApprovalRequest) async -> ApprovalAnswer {
            asked.withLock { $0.append(request) }
            return ApprovalAnswer(approved: approved, source: .user, note: approved ? "approved at the terminal" : "refused at the terminal")
        }
    }

    struct Setup {
        let scratch: ScratchSession
        let store: SessionJobStore
        let runner: ToolRunner
        let policy: ToolPolicy
        var auditPath: String { scratch.directory + "/audit.jsonl" }

        init(preset: PolicyPreset) throws {
            scratch = try ScratchSession()
            store = SessionJobStore(rules: rules)
            store.open(sessionPath: scratch.sessionPath)
            policy = try PolicyBuilder.build(PolicyInputs(cwd: scratch.directory, home: scratch.directory, environment: [:], presetFlag: preset)).policy
            let tool = ScheduleTool(store: store, clock: TestClock(start))
            runner = ToolRunner.standard(
                policy: policy, files: ConfinedFileOperations(paths: policy.paths, enforceRegularFiles: true),
                shell: SandboxedShell(policy: policy, environment: [:]), cwd: scratch.directory,
                spillDirectory: scratch.directory, tools: CodingTools.all + [tool])
        }

        func run(_ arguments: String, approver: any Approver) async throws -> ToolResult {
            let hooks = try AgentHooks().guarded(by: policy, audit: (AuditLog(path: auditPath, durability: .noSync), "s"), approver: approver)
            return await runner.run(ToolCall(id: "call_1", name: "schedule", rawArguments: arguments), hooks: hooks)
        }

        /// (event, decision, rule) of every audit record.
        func audit() throws -> [String] {
            guard let text = scratch.read(auditPath) else { return [] }
            return try text.split(separator: "\n").map { line in
                let record = try JSONParser.parseLine(String(line))
                return [record["event"], record["decision"], record["rule"]].map { $0?.stringValue ?? "-" }.joined(separator: " ")
            }
        }
    }

    @Test("balanced asks; a yes adds the job to .cron.toml as the model's, and the audit has ask, approval, completion")
    func confirmed() async throws {
        let setup = try Setup(preset: .balanced)
        defer { setup.scratch.remove() }
        let approvals = Approvals(approved: true)
        let result = try await setup.run(#"{"cron":"0 9 * * 1-5","timezone":"Europe/Berlin","prompt":"summarise"}"#, approver: approvals)
        #expect(!result.isError, "\(result.text)")
        #expect(result.text.hasPrefix("Scheduled c1: cron \"0 9 * * 1-5\" (Europe/Berlin)."))
        let asked = try #require(approvals.asked.withLock { $0 }.first)
        #expect(asked.rule == "schedule_tool")
        #expect(asked.reason.hasPrefix("scheduling cron \"0 9 * * 1-5\" (Europe/Berlin): prompt \"summarise\" would run later"))
        #expect(setup.store.snapshot.cron.map(\.origin) == [.model])
        #expect(setup.scratch.read(setup.scratch.files.cron)?.contains("origin = \"model\"") == true)
        #expect(try setup.audit() == ["decision ask schedule_tool", "approval allow schedule_tool", "completion allow schedule_tool"])
    }

    @Test("a no, or nobody to ask (pie -p, pie tool), adds nothing and tells the model why")
    func refused() async throws {
        let setup = try Setup(preset: .balanced)
        defer { setup.scratch.remove() }
        let no = try await setup.run(#"{"every":"1h","prompt":"poll"}"#, approver: Approvals(approved: false))
        #expect(no.isError)
        #expect(no.text.hasSuffix("not approved: refused at the terminal"))
        let nobody = try await setup.run(#"{"every":"1h","prompt":"poll"}"#, approver: NobodyApprover(mode: "pie -p"))
        #expect(nobody.isError)
        #expect(nobody.text.contains("pie -p has nobody to ask, so the call is denied"))
        #expect(setup.store.snapshot.jobs.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: setup.scratch.files.triggers))
        #expect(try setup.audit().filter { $0.hasPrefix("approval") } == ["approval deny schedule_tool", "approval deny schedule_tool"])
    }

    @Test("hardened denies the tool outright: nobody is asked")
    func hardened() async throws {
        let setup = try Setup(preset: .hardened)
        defer { setup.scratch.remove() }
        let approvals = Approvals(approved: true)
        let result = try await setup.run(#"{"cron":"@daily","prompt":"x"}"#, approver: approvals)
        #expect(result.isError)
        #expect(result.text.hasPrefix("Denied by policy (rule schedule_tool): the schedule tool is off in this policy"))
        #expect(approvals.asked.withLock { $0 }.isEmpty)
        #expect(setup.store.snapshot.jobs.isEmpty)
    }

    @Test(
        "invalid arguments are answered before anyone is asked, naming the problem",
        arguments: [
            (#"{"cron":"0 9 * *","prompt":"x"}"#, "Invalid arguments for schedule: cron \"0 9 * *\":"),
            (#"{"cron":"@daily","timezone":"Mars/Base","prompt":"x"}"#, "Invalid arguments for schedule: timezone:"),
            (#"{"at":"2020-01-01T00:00:00Z","prompt":"x"}"#, "Invalid arguments for schedule: at \"2020-01-01T00:00:00Z\" is in the past"),
            (#"{"cron":"@daily","every":"1h","prompt":"x"}"#, "Invalid arguments for schedule: more than one trigger given (cron, every)"),
            (#"{"prompt":"x"}"#, "Invalid arguments for schedule: no trigger given"),
            (#"{"every":"1h","on":"created","prompt":"x"}"#, "Invalid arguments for schedule: on applies only to a file trigger"),
            (#"{"file":"build.done","prompt":"x"}"#, "Invalid arguments for schedule: file \"build.done\" is not an absolute path"),
            (#"{"cron":7,"prompt":"x"}"#, "Invalid arguments for schedule: field 'cron' must be a string"),
            (#"{"cron":"@daily"}"#, "Invalid arguments for schedule:"),
        ])
    func invalid(arguments: String, expected: String) async throws {
        let setup = try Setup(preset: .balanced)
        defer { setup.scratch.remove() }
        let approvals = Approvals(approved: true)
        let result = try await setup.run(arguments, approver: approvals)
        #expect(result.isError)
        #expect(result.text.hasPrefix(expected), "\(result.text)")
        #expect(approvals.asked.withLock { $0 }.isEmpty)
        #expect(setup.store.snapshot.jobs.isEmpty)
    }

    @Test("in a session that is not saved a confirmed call adds nothing and says why")
    func noSession() async throws {
        let setup = try Setup(preset: .balanced)
        defer { setup.scratch.remove() }
        setup.store.open(sessionPath: nil)
        let result = try await setup.run(#"{"cron":"@daily","prompt":"x"}"#, approver: Approvals(approved: true))
        #expect(result.isError)
        #expect(result.text.hasPrefix("this session is not saved (--no-session), so it cannot keep jobs"))
        #expect(setup.store.snapshot.jobs.isEmpty)
    }

    @Test("a file trigger with once goes to .triggers.json as the model's, with fire_once")
    func fileTrigger() async throws {
        let setup = try Setup(preset: .balanced)
        defer { setup.scratch.remove() }
        let result = try await setup.run(
            #"{"file":"/tmp/build.done","on":"created","once":true,"prompt":"run the checks"}"#, approver: Approvals(approved: true))
        #expect(!result.isError, "\(result.text)")
        let rule = try #require(setup.store.snapshot.triggers.first)
        #expect(rule.job.trigger == .file(path: "/tmp/build.done", on: .created))
        #expect(rule.fireOnce)
        #expect(setup.scratch.read(setup.scratch.files.triggers)?.contains("\"path\": \"/tmp/build.done\"") == true)
    }
}

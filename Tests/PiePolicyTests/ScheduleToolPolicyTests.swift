import Foundation
import PiePolicy
import Testing

/// `schedule_tool`: the model's schedule tool is asked (a person confirms) or denied, never
/// allowed; hardened denies it; a project file that turns it back to ask is a loosening.
@Suite("schedule_tool policy")
struct ScheduleToolPolicyTests {
    @Test("every preset asks but hardened, which denies; no preset allows", arguments: PolicyPreset.allCases)
    func presets(_ preset: PolicyPreset) throws {
        let project = try TempDirectory()
        defer { project.remove() }
        let policy = try buildPolicy(cwd: project.path, preset: preset).policy
        let decision = try PolicyEngine(policy: policy).evaluate(.schedule(what: "scheduling cron \"@daily\": prompt \"x\""))
        #expect(decision.rule == "schedule_tool")
        #expect(decision.verdict == (preset == .hardened ? .deny : .ask))
        #expect(decision.verdict != .allow)
        if preset != .hardened {
            #expect(decision.reason.hasPrefix("scheduling cron \"@daily\": prompt \"x\" would run later in this session"))
        }
    }

    @Test("a project policy that turns hardened's deny into ask is reported as loosening")
    func loosening() throws {
        let project = try TempDirectory()
        defer { project.remove() }
        try project.file(".pie/policy.toml", "schedule_tool = \"ask\"\n")
        let effective = try buildPolicy(cwd: project.path, preset: .hardened)
        #expect(effective.policy.scheduleTool == .ask)
        #expect(effective.warnings.contains { $0.contains("loosens schedule_tool") })
    }

    @Test("an unknown value is refused, naming the field and the choices")
    func badValue() throws {
        let project = try TempDirectory()
        defer { project.remove() }
        try project.file(".pie/policy.toml", "schedule_tool = \"allow\"\n")
        let error = #expect(throws: PolicyError.self) { try buildPolicy(cwd: project.path) }
        #expect(error?.message.contains("schedule_tool") == true)
        #expect(error?.message.contains("ask") == true)
    }
}

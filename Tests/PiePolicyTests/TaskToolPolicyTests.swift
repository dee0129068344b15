import Foundation
import PiePolicy
import Testing

/// `task_tool`: delegating to a sub-agent. A read-only delegation is allowed where the policy
/// allows the tool, one with tools that write or run commands is asked even then, hardened
/// denies every one, and a project file moving it towards allow is a loosening.
@Suite("task_tool policy")
struct TaskToolPolicyTests {
    @Test("read-only delegation: allowed in every preset but hardened, which denies", arguments: PolicyPreset.allCases)
    func readOnly(_ preset: PolicyPreset) throws {
        let project = try TempDirectory()
        defer { project.remove() }
        let policy = try buildPolicy(cwd: project.path, preset: preset).policy
        let decision = try PolicyEngine(policy: policy).evaluate(.task(tools: ["read", "grep", "find", "ls"]))
        #expect(decision.verdict == (preset == .hardened ? .deny : .allow))
        if preset == .hardened { #expect(decision.rule == "task_tool") }
    }

    @Test("a sub-agent that may write or run commands is asked even where task_tool allows", arguments: ["bash", "edit", "write"])
    func actingTools(_ tool: String) throws {
        let project = try TempDirectory()
        defer { project.remove() }
        let policy = try buildPolicy(cwd: project.path, preset: .permissive).policy
        #expect(policy.taskTool == .allow)
        let decision = try PolicyEngine(policy: policy).evaluate(.task(tools: ["read", tool]))
        #expect(decision.verdict == .ask)
        #expect(decision.rule == "task_tool")
        #expect(decision.reason.contains(tool))
    }

    @Test("task_tool = ask asks even for read-only tools; deny names the rule and what to do")
    func askAndDeny() throws {
        let project = try TempDirectory()
        defer { project.remove() }
        try project.file(".pie/policy.toml", "task_tool = \"ask\"\n")
        let asked = try PolicyEngine(policy: try buildPolicy(cwd: project.path).policy).evaluate(.task(tools: ["read"]))
        #expect(asked.verdict == .ask)
        try project.file(".pie/policy.toml", "task_tool = \"deny\"\n")
        let denied = try PolicyEngine(policy: try buildPolicy(cwd: project.path).policy).evaluate(.task(tools: ["read"]))
        #expect(denied.verdict == .deny)
        #expect(denied.reason.contains("task_tool = \"deny\""))
    }

    @Test("a project policy that turns hardened's deny into allow or ask is reported as loosening", arguments: ["allow", "ask"])
    func loosening(_ value: String) throws {
        let project = try TempDirectory()
        defer { project.remove() }
        try project.file(".pie/policy.toml", "task_tool = \"\(value)\"\n")
        let effective = try buildPolicy(cwd: project.path, preset: .hardened)
        #expect(effective.policy.taskTool.rawValue == value)
        #expect(effective.warnings.contains { $0.contains("loosens task_tool") })
    }

    @Test("a project policy that tightens it is no loosening")
    func tightening() throws {
        let project = try TempDirectory()
        defer { project.remove() }
        try project.file(".pie/policy.toml", "task_tool = \"deny\"\n")
        let effective = try buildPolicy(cwd: project.path, preset: .balanced)
        #expect(effective.policy.taskTool == .deny)
        #expect(!effective.warnings.contains { $0.contains("task_tool") })
    }

    @Test("an unknown value is refused, naming the field and the choices")
    func badValue() throws {
        let project = try TempDirectory()
        defer { project.remove() }
        try project.file(".pie/policy.toml", "task_tool = \"sometimes\"\n")
        let error = #expect(throws: PolicyError.self) { try buildPolicy(cwd: project.path) }
        #expect(error?.message.contains("task_tool") == true)
        #expect(error?.message.contains("allow") == true)
    }
}

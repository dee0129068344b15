import Foundation
import PiePolicy
import Testing

/// `memory_tool`: saving and deleting memories is allowed by default, asked under hardened and
/// refused with `deny`; listing is refused only with `deny`; a project file that loosens it is
/// reported.
@Suite("memory_tool policy")
struct MemoryToolPolicyTests {
    @Test("every preset allows but hardened, which asks before a save or delete", arguments: PolicyPreset.allCases)
    func presets(_ preset: PolicyPreset) throws {
        let project = try TempDirectory()
        defer { project.remove() }
        let engine = try PolicyEngine(policy: try buildPolicy(cwd: project.path, preset: preset).policy)
        for action in [MemoryAction.save, .delete] {
            let decision = engine.evaluate(.memory(action: action, what: "saving 'x' to the user's memory"))
            #expect(decision.rule == (preset == .hardened ? "memory_tool" : "allowed"))
            #expect(decision.verdict == (preset == .hardened ? .ask : .allow))
        }
        let list = engine.evaluate(.memory(action: .list, what: "listing the memories"))
        #expect(list.verdict == .allow)
        if preset == .hardened {
            let held = engine.evaluate(.memory(action: .save, what: "saving 'x' to the user's memory"))
            #expect(held.reason == "saving 'x' to the user's memory changes what every later session starts with: it runs only when a person approves it")
        }
    }

    @Test("deny refuses every action, list included, and says what the user can do instead")
    func deny() throws {
        let project = try TempDirectory()
        defer { project.remove() }
        try project.file(".pie/policy.toml", "memory_tool = \"deny\"\n")
        let engine = try PolicyEngine(policy: try buildPolicy(cwd: project.path).policy)
        for action in MemoryAction.allCases {
            let decision = engine.evaluate(.memory(action: action, what: "x"))
            #expect(decision.verdict == .deny)
            #expect(decision.reason.contains("memory_tool = \"deny\""))
        }
    }

    @Test("a project policy that turns hardened's ask into allow is reported as loosening")
    func loosening() throws {
        let project = try TempDirectory()
        defer { project.remove() }
        try project.file(".pie/policy.toml", "memory_tool = \"allow\"\n")
        let effective = try buildPolicy(cwd: project.path, preset: .hardened)
        #expect(effective.policy.memoryTool == .allow)
        #expect(effective.warnings.contains { $0.contains("loosens memory_tool") })
    }

    @Test("an unknown value is refused, naming the field and the choices")
    func badValue() throws {
        let project = try TempDirectory()
        defer { project.remove() }
        try project.file(".pie/policy.toml", "memory_tool = \"sometimes\"\n")
        let error = #expect(throws: PolicyError.self) { try buildPolicy(cwd: project.path) }
        #expect(error?.message.contains("memory_tool") == true)
        #expect(error?.message.contains("allow, ask, deny") == true, "\(error?.message ?? "")")
    }
}

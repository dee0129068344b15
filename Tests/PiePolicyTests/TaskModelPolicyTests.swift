import Foundation
import PieJSON
import PiePolicy
import Testing

/// `task_model` and `task_fallback_models`: the model sub-agents answer from. The policy keeps the
/// names and where they were set (the agent builder resolves them against the model registry);
/// `--print-tool-policy` and `pie policy explain --tool task` show them.
@Suite("task_model policy")
struct TaskModelPolicyTests {
    @Test("unset in every preset: sub-agents use the parent's model, and explain says so", arguments: PolicyPreset.allCases)
    func unsetByDefault(_ preset: PolicyPreset) throws {
        let project = try TempDirectory()
        defer { project.remove() }
        let effective = try buildPolicy(cwd: project.path, preset: preset)
        #expect(effective.policy.taskModel == nil)
        #expect(effective.policy.taskFallbackModels.isEmpty)
        guard preset != .hardened else { return }
        let decision = try PolicyEngine(policy: effective.policy).evaluate(.task(tools: ["read"]))
        let check = try #require(decision.trace.first { $0.check == "task_model" })
        #expect(check.detail == "the sub-agent answers from this agent's own model and fallbacks")
    }

    @Test("a profile names the model and its fallbacks; explain and --print-tool-policy show both with their source")
    func namedInAProfile() throws {
        let project = try TempDirectory()
        defer { project.remove() }
        try project.file("team.toml", "task_model = \"ollama:qwen3-coder\"\ntask_fallback_models = [\"llamacpp:small\", \"ds4:x\"]\n")
        let profile = project.path + "/team.toml"
        let effective = try buildPolicy(cwd: project.path, profile: profile)
        #expect(effective.policy.taskModel == "ollama:qwen3-coder")
        #expect(effective.policy.taskFallbackModels == ["llamacpp:small", "ds4:x"])

        let decision = try PolicyEngine(policy: effective.policy).evaluate(.task(tools: ["read", "bash"]))
        #expect(decision.verdict == .ask)
        let text = PolicyReport.text(decision, tool: "task", input: "")
        #expect(text.contains("task_model"))
        #expect(text.contains("the sub-agent answers from ollama:qwen3-coder, then llamacpp:small, ds4:x (task_model)"))

        let printed = PolicyReport.json(effective, bashRules: nil)
        #expect(printed["policy"]?["task_model"]?.stringValue == "ollama:qwen3-coder")
        #expect(printed["policy"]?["task_fallback_models"] == .array(["llamacpp:small", "ds4:x"]))
        #expect(printed["sources"]?["task_model"]?.stringValue == "profile:\(profile)")
    }

    @Test("fallbacks without a model are an error naming both fields and what to do")
    func fallbacksWithoutAModel() throws {
        let project = try TempDirectory()
        defer { project.remove() }
        try project.file(".pie/policy.toml", "task_fallback_models = [\"ollama:small\"]\n")
        #expect {
            try buildPolicy(cwd: project.path)
        } throws: { error in
            let message = (error as? PolicyError)?.message ?? ""
            return message.contains("task_fallback_models") && message.contains("task_model is not")
                && message.contains(project.path + "/.pie/policy.toml")
        }
    }

    @Test("task_model names one model: a list in it is an error pointing at task_fallback_models")
    func oneModel() throws {
        let project = try TempDirectory()
        defer { project.remove() }
        try project.file(".pie/policy.toml", "task_model = \"ollama:a, ollama:b\"\n")
        #expect {
            try buildPolicy(cwd: project.path)
        } throws: { error in
            let message = (error as? PolicyError)?.message ?? ""
            return message.contains("task_model") && message.contains("more than one model")
                && message.contains("task_fallback_models")
        }
    }

    @Test("a value of the wrong type names the file, the line and the field")
    func wrongType() throws {
        let project = try TempDirectory()
        defer { project.remove() }
        try project.file(".pie/policy.toml", "task_tool = \"allow\"\ntask_model = 3\n")
        #expect {
            try buildPolicy(cwd: project.path)
        } throws: { error in
            let message = (error as? PolicyError)?.message ?? ""
            return message.contains(".pie/policy.toml:2") && message.contains("task_model")
        }
    }

    @Test("a project file choosing the sub-agents' model or adding fallbacks is reported as a loosening")
    func projectFileLoosens() throws {
        let project = try TempDirectory()
        defer { project.remove() }
        try project.file(".pie/policy.toml", "task_model = \"openrouter:some/model\"\ntask_fallback_models = [\"groq:x\"]\n")
        let effective = try buildPolicy(cwd: project.path)
        #expect(effective.warnings.contains { $0.contains("loosens task_model") })
        #expect(effective.warnings.contains { $0.contains("loosens task_fallback_models") })

        try project.file(".pie/policy.toml", "task_model = \"\"\n")
        #expect(try buildPolicy(cwd: project.path).warnings.allSatisfy { !$0.contains("task_model") })
    }
}

import PieAgent
import PieLocal

/// Builders shared by the loop tests.
enum LoopFixtures {
    static func model(contextWindow: Int = 128_000) -> ModelDescriptor {
        ModelDescriptor(
            id: "scripted", api: .openAICompletions, provider: "test", baseURL: "http://127.0.0.1:1/v1",
            contextWindow: contextWindow)
    }

    static func configuration(
        _ provider: any Provider, tools: ScriptedTools = ScriptedTools(), recorder: EventRecorder? = nil,
        hooks: AgentHooks = AgentHooks(), contextWindow: Int = 128_000
    ) -> AgentConfiguration {
        var hooks = hooks
        if let recorder { hooks.onEvent = recorder.sink }
        return AgentConfiguration(
            provider: provider, model: model(contextWindow: contextWindow), systemPrompt: "You are a test.",
            tools: tools.runner, hooks: hooks)
    }

    static func toolResults(_ messages: [AgentMessage]) -> [ToolResultMessage] {
        messages.compactMap(\.toolResult)
    }

    static func text(_ result: ToolResultMessage) -> String {
        result.content.reduce(into: "") { text, block in
            if case .text(let piece) = block { text += piece }
        }
    }
}

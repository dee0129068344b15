import PieAgent
import PieHooks
import PieLocal
import PiePolicy

/// One conversation, ready to take prompts: the loop's configuration, the context so far, the
/// session it records into and the policy its tools run under.
public struct AssembledAgent: Sendable {
    public var configuration: AgentConfiguration
    /// The messages the next prompt continues from (restored from a resumed session).
    public var context: [AgentMessage]
    /// Nil with `SessionSelection.none`.
    public let recorder: SessionRecorder?
    public let policy: EffectivePolicy
    public let runner: ToolRunner
    /// The lifecycle hooks from `hooks.toml`; nil when none are configured. A caller that ends
    /// the process after a run awaits `drain()` so `agent_end` hooks still run.
    public let lifecycle: LifecycleHooks?
    /// The running `task` sub-agents, for a stop that must reach them all (a budget spent); nil
    /// when the agent has no `task` tool.
    public let tasks: TaskSupervisor?
    /// The models the fallback chain may answer with after `configuration.model`.
    public var fallbackModels: [ModelDescriptor] = []

    public init(
        configuration: AgentConfiguration, context: [AgentMessage], recorder: SessionRecorder?, policy: EffectivePolicy,
        runner: ToolRunner, lifecycle: LifecycleHooks? = nil, tasks: TaskSupervisor? = nil
    ) {
        self.configuration = configuration
        self.context = context
        self.recorder = recorder
        self.policy = policy
        self.runner = runner
        self.lifecycle = lifecycle
        self.tasks = tasks
    }

    /// Runs one prompt to the end and keeps the resulting context for the next one. Problems
    /// recording the session are collected for `takeDiagnostics()`.
    public mutating func send(_ prompt: String) async -> AgentRunResult {
        let result = await AgentLoop(configuration: configuration).run(prompts: [.user(prompt)], context: context)
        context = result.context
        return result
    }

    /// Runs one prompt with images attached as image blocks after its text, checked first by
    /// `checkImages` (so before any request is made); the images go into the session with it.
    public mutating func send(_ prompt: String, images: [ImageAttachment]) async throws(ImageError) -> AgentRunResult {
        guard !images.isEmpty else { return await send(prompt) }
        try checkImages(images)
        let message = AgentMessage.user([.text(prompt)] + images.map(\.block))
        let result = await AgentLoop(configuration: configuration).run(prompts: [message], context: context)
        context = result.context
        return result
    }

    /// Refuses images this agent cannot send: over the count or total caps, or any at all when the
    /// model's descriptor, or a fallback's, takes text only (an adapter would otherwise drop them
    /// without a word).
    public func checkImages(_ images: [ImageAttachment]) throws(ImageError) {
        guard !images.isEmpty else { return }
        try ImageAttachment.checkTotal(images)
        let model = configuration.model
        guard model.acceptsImages else { throw .textOnlyModel(model: "\(model.provider):\(model.id)", images: images.count) }
        if let fallback = fallbackModels.first(where: { !$0.acceptsImages }) {
            throw .textOnlyFallback(model: "\(fallback.provider):\(fallback.id)", images: images.count)
        }
    }

    /// What went wrong recording the session since the last call (the run went on).
    public func takeDiagnostics() -> [SessionDiagnostic] {
        recorder?.takeDiagnostics() ?? []
    }
}

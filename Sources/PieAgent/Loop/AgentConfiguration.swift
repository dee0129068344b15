import PieLocal

/// Everything one agent run needs. A value, so the CLI builds it once and tests vary one field.
public struct AgentConfiguration: Sendable {
    public var provider: any Provider
    public var model: ModelDescriptor
    public var apiKey: String?
    public var systemPrompt: String?
    /// The tools the model is offered and the dispatch path their calls take; a call to any
    /// other name gets `Tool <name> not found`.
    public var tools: ToolRunner {
        didSet { toolSpecs = tools.toolSpecs }
    }
    /// What every request offers the model: the tools' schemas, rendered once, not per request.
    public private(set) var toolSpecs: [ToolSpec]
    public var thinking: ThinkingLevel
    /// Output cap per reply; `nil` uses the model's.
    public var maxTokens: Int?
    public var hooks: AgentHooks
    /// At most this many model calls per run; `nil` (the default) is unlimited.
    public var maxTurns: Int?
    /// Bounds a whole run (every turn and tool); `nil` is unbounded.
    public var turnTimeout: Duration?
    /// What `turnTimeout` is measured on.
    public var clock: any AgentClock

    public init(
        provider: any Provider, model: ModelDescriptor, apiKey: String? = nil, systemPrompt: String? = nil,
        tools: ToolRunner, thinking: ThinkingLevel = .off,
        maxTokens: Int? = nil, hooks: AgentHooks = AgentHooks(), maxTurns: Int? = nil, turnTimeout: Duration? = nil,
        clock: any AgentClock = ContinuousAgentClock()
    ) {
        self.provider = provider
        self.model = model
        self.apiKey = apiKey
        self.systemPrompt = systemPrompt
        self.tools = tools
        self.toolSpecs = tools.toolSpecs
        self.thinking = thinking
        self.maxTokens = maxTokens
        self.hooks = hooks
        self.maxTurns = maxTurns
        self.turnTimeout = turnTimeout
        self.clock = clock
    }
}

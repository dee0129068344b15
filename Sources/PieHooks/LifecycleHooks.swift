import PieAgent
import PieLocal
import PiePolicy
import PieSandbox

/// The hooks of one agent: observing hooks queued off the loop (`observe`, `fire`), and the
/// blocking `pre_tool` gate (`gate`). The agent builder makes one when any hook is configured.
public final class LifecycleHooks: Sendable {
    public let hooks: [Hook]
    public let runner: HookRunner
    public let session: HookSessionInfo
    /// Set for a sub-agent's hooks (`delegated`): the parent's session and `task` call.
    public let parent: HookParent?
    let queue: HookQueue
    let onWarning: @Sendable (String) -> Void

    public init(
        hooks: [Hook], runner: HookRunner, session: HookSessionInfo, queueCapacity: Int = 256,
        onWarning: @escaping @Sendable (String) -> Void
    ) {
        self.hooks = hooks.filter(\.enabled)
        self.runner = runner
        self.session = session
        self.onWarning = onWarning
        parent = nil
        queue = HookQueue(capacity: queueCapacity, onWarning: onWarning)
    }

    private init(of parent: LifecycleHooks, session: HookSessionInfo, link: HookParent) {
        hooks = parent.hooks
        runner = parent.runner
        self.session = session
        self.parent = link
        onWarning = parent.onWarning
        queue = parent.queue
    }

    /// The same hooks for a sub-agent that this agent's `task` call `toolCallID` started: its
    /// events reach the same observers and its calls the same `pre_tool` gate, in the same queue
    /// (so `drain` waits for them too), each payload naming the sub-agent's own session and model
    /// and marked with this agent's session and the call (`parent_session_id`,
    /// `parent_tool_call_id`), so a hook can tell a sub-agent's events from its parent's.
    public func delegated(session: HookSessionInfo, toolCallID: String) -> LifecycleHooks {
        LifecycleHooks(of: self, session: session, link: HookParent(sessionID: self.session.sessionID, toolCallID: toolCallID))
    }

    /// Whether any hook is configured for `event` at all (cheap: checked before building a payload).
    public func wants(_ event: HookEvent) -> Bool {
        hooks.contains { $0.event == event }
    }

    /// A payload for `event` with this session's fields.
    public func payload(_ event: HookEvent) -> HookPayload {
        var payload = HookPayload(event: event, session: session)
        if let parent { payload.setParent(parent) }
        return payload
    }

    /// The loop's `onEvent`: the agent events hooks observe, queued.
    public func observe(_ event: AgentEvent) {
        guard let mapped = HookEventMapping.event(for: event), wants(mapped) else { return }
        guard let payload = HookEventMapping.payload(for: event, base: payload(mapped)) else { return }
        fire(payload)
    }

    /// Queues the observing hooks that match `payload`; returns at once.
    public func fire(_ payload: HookPayload) {
        for hook in matching(payload) {
            let runner = runner
            let warn = onWarning
            queue.submit {
                let result = await runner.run(hook, payload: payload)
                Self.report(result, policy: hook.onFailure, warn: warn)
            }
        }
    }

    /// Runs the hooks that match `payload` now, one after another, and returns how each ended:
    /// what `pie hooks test` shows.
    public func runNow(_ payload: HookPayload) async -> [HookRunResult] {
        var results: [HookRunResult] = []
        for hook in matching(payload) { results.append(await runner.run(hook, payload: payload)) }
        return results
    }

    /// The `pre_tool` gate: each matching hook in file order; the first that denies decides. A
    /// hook that fails (any exit status but 0 and 2, a timeout, a sandbox that cannot start)
    /// denies the call unless its `on_failure` says `warn` or `ignore`: a gate that cannot
    /// answer must not let the call through. A run whose audit record cannot be written denies
    /// too. Only ever asked for calls the policy allowed or holds for approval.
    public func gate(_ context: BeforeToolCallContext) async -> ToolGate {
        var payload = payload(.preTool)
        payload.setTool(callID: context.call.id, name: context.call.name, arguments: context.call.arguments)
        for hook in matching(payload) {
            let result = await runner.run(hook, payload: payload)
            if let failure = result.auditError {
                return .block(
                    reason: "Denied: the pre_tool hook at \(hook.origin) ran, but its audit record could not be written "
                        + "(\(failure)); nothing runs unaudited")
            }
            if let reason = result.denialReason { return .block(reason: "Denied by pre_tool hook: \(reason)") }
            guard result.outcome != .ok else { continue }
            switch hook.onFailure {
            case .deny:
                return .block(
                    reason: "Denied: the pre_tool hook at \(hook.origin) failed (\(result.message)), and a pre_tool "
                        + "hook that cannot answer denies the call (on_failure = \"deny\")")
            case .warn:
                onWarning("\(result.summary); the call goes ahead (on_failure = \"warn\")")
            case .ignore:
                continue
            }
        }
        return .allow
    }

    /// Waits for the queued hooks (each bounded by its timeout); no more are taken.
    public func drain() async {
        await queue.drain()
    }

    public var droppedCount: Int { queue.droppedCount }

    private func matching(_ payload: HookPayload) -> [Hook] {
        hooks.filter { $0.applies(to: payload.event, toolName: payload.toolName) }
    }

    static func report(_ result: HookRunResult, policy: HookFailurePolicy, warn: @Sendable (String) -> Void) {
        if let failure = result.auditError { warn("\(result.origin): the audit record of a hook run could not be written: \(failure)") }
        guard result.outcome != .ok, policy != .ignore else { return }
        warn(result.summary)
    }
}

import Glibc
import PieSystem
import Synchronization

/// The warm sandboxes of one pie process, keyed by the plan they serve.
///
/// A plan seen for the `startAfterUses`-th time gets a warm sandbox; until then its commands run
/// in a bubblewrap of their own, as does every command when the init binary is missing or a warm
/// sandbox fails to start (the containment is the same either way, only slower). When a plan
/// changes (a protected path appeared, a `.env` file was created, the policy changed), the old
/// sandbox is retired and ends once its running commands are done. At most `capacity` sandboxes
/// stay warm; bwrap's `--die-with-parent` ends them all when pie exits. After `brokenLimit`
/// warm sandboxes in a row failed to start or to serve a command, this pool stops warming: on
/// such a machine every command would pay for a doomed attempt before running cold.
public final class WarmSandboxes: Sendable {
    /// The `pie-sandbox-init` binary, or nil to never warm a sandbox.
    public let initPath: String?
    public let startAfterUses: Int
    public let capacity: Int
    public static let brokenLimit = 3
    private let state = Mutex(State())

    private struct State {
        var sandboxes: [WarmSandbox] = []
        var uses: [WarmSandboxKey: Int] = [:]
        /// Warm sandboxes that failed in a row (reset by a command that starts warm).
        var brokenInARow = 0
    }

    /// Whether this pool still starts warm sandboxes.
    public var isWarming: Bool {
        initPath != nil && state.withLock { $0.brokenInARow < Self.brokenLimit }
    }

    public init(initPath: String?, startAfterUses: Int = 2, capacity: Int = 2) {
        self.initPath = initPath
        self.startAfterUses = max(startAfterUses, 1)
        self.capacity = max(capacity, 1)
    }

    /// `pie-sandbox-init` next to the running executable (where SwiftPM builds both), if present.
    public static func locateInit() -> String? {
        guard let candidate = ProcessPaths.companion("pie-sandbox-init") else { return nil }
        return access(candidate, X_OK) == 0 ? candidate : nil
    }

    /// The warm sandbox for commands with `plan`, started now if this plan is due one (or
    /// `startingNow`); nil when the command should run in a bubblewrap of its own.
    func sandbox(bwrap: String, plan: BubblewrapPlan, startingNow: Bool = false) async -> WarmSandbox? {
        guard let initPath, isWarming else { return nil }
        let base = plan.warmBase(initPath: initPath)
        let key = WarmSandboxKey(base: base)
        let found: WarmSandbox? = state.withLock { state in
            state.sandboxes.removeAll { !$0.isUsable }
            if let index = state.sandboxes.firstIndex(where: { $0.key == key }) {
                let sandbox = state.sandboxes.remove(at: index)
                state.sandboxes.append(sandbox)
                return sandbox
            }
            return nil
        }
        if let found { return found }
        let due = state.withLock { state -> Bool in
            let uses = state.uses[key, default: 0] + 1
            if state.uses.count > 64 { state.uses.removeAll() }
            state.uses[key] = uses
            return startingNow || uses >= startAfterUses
        }
        guard due else { return nil }
        guard let started = try? await WarmSandbox.start(bwrap: bwrap, base: base, key: key) else {
            state.withLock { $0.brokenInARow += 1 }
            return nil
        }
        let retired: [WarmSandbox] = state.withLock { state in
            state.uses[key] = nil
            state.sandboxes.append(started)
            let excess = max(state.sandboxes.count - capacity, 0)
            let oldest = Array(state.sandboxes.prefix(excess))
            state.sandboxes.removeFirst(excess)
            return oldest
        }
        retired.forEach { $0.retire() }
        return started
    }

    /// Forgets `sandbox` after it failed, so the next command gets a fresh one; a `broken` one
    /// counts towards `brokenLimit`.
    func discard(_ sandbox: WarmSandbox, broken: Bool) {
        state.withLock { state in
            state.sandboxes.removeAll { $0 === sandbox }
            if broken { state.brokenInARow += 1 }
        }
        sandbox.retire()
    }

    /// A command started warm: the sandboxes work on this machine.
    func served() {
        state.withLock { $0.brokenInARow = 0 }
    }
}

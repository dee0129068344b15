/// The state a process keeps between bash commands: warm sandboxes, the bubblewrap verdict, the
/// placeholder counts and the compiled seccomp programs.
///
/// The libraries hold no process-wide globals; the `pie` executable creates one `SandboxServices`
/// and hands it to every shell and report it makes, so they share one pool, one probe and one
/// placeholder registry. A shell made without one gets a set of its own.
public struct SandboxServices: Sendable {
    /// Long-lived sandboxes for repeated plans; nil gives every command a bubblewrap of its own.
    public var warm: WarmSandboxes?
    public var probe: BubblewrapProbe
    public var placeholders: PlaceholderRegistry
    public var seccomp: SeccompPrograms
    /// Where long-lived children (MCP stdio servers) are spawned, so `--die-with-parent` ties
    /// them to pie's life and not to a pool thread's (`SpawnThread`).
    public var spawnThread: SpawnThread

    public init(
        warm: WarmSandboxes? = WarmSandboxes(initPath: WarmSandboxes.locateInit()),
        probe: BubblewrapProbe = BubblewrapProbe(), placeholders: PlaceholderRegistry = PlaceholderRegistry(),
        seccomp: SeccompPrograms = SeccompPrograms(), spawnThread: SpawnThread = SpawnThread()
    ) {
        self.warm = warm
        self.probe = probe
        self.placeholders = placeholders
        self.seccomp = seccomp
        self.spawnThread = spawnThread
    }
}

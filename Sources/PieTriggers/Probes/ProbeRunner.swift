/// Runs one probe. The production runner is `SandboxProbeRunner`; the seam exists so the
/// scheduler's own tests can run probes without a sandbox.
public protocol ProbeRunner: Sendable {
    func run(_ probe: Probe) async -> ProbeOutcome
}

/// What a sandboxed command can read besides the policy's roots (`sandbox_reads`).
///
/// The deny list can only name what someone thought of; a credential store nobody listed is
/// readable under `host`. `allowlist` inverts that: what `SandboxReadRoots` does not name is not
/// in the sandbox at all.
public enum SandboxReads: String, Sendable, CaseIterable, Codable {
    /// The system directories and `/etc` entries of `SandboxReadRoots`, the policy's read and
    /// write roots, and an empty, read-only `$HOME`. Nothing else of the host exists inside.
    case allowlist
    /// The host's `/` read-only, the deny list masked on top, `$HOME` readable but not writable.
    case host
}

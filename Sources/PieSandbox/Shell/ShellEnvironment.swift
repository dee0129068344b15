/// The environment a command sees: an allowlist of harmless variables from the injected
/// environment, never provider keys or tokens. The caller's dictionary is the only source; pie's
/// own process environment is never read here.
public enum ShellEnvironment {
    /// Names passed through unchanged; `LC_*` is matched by prefix.
    public static let allowedNames: Set<String> = ["PATH", "HOME", "USER", "LANG", "TERM", "TZ", "TMPDIR"]
    public static let defaultPath = "/usr/local/bin:/usr/bin:/bin"
    /// Marks every process of one spawn (inherited by children), so survivors can be found.
    public static let spawnMarker = "PIE_SPAWN_ID"

    /// The allowlisted subset of `environment`, with `PATH` defaulted and `TMPDIR` overridden when given.
    public static func scrub(_ environment: [String: String], tmpdir: String?) -> [String: String] {
        var result = environment.filter { allowedNames.contains($0.key) || $0.key.hasPrefix("LC_") }
        if result["PATH"] == nil { result["PATH"] = defaultPath }
        if let tmpdir { result["TMPDIR"] = tmpdir }
        return result
    }
}

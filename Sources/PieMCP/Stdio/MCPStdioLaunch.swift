import PiePolicy
import PieSandbox

/// How to start one stdio MCP server: the program, its arguments, the environment it gets (already
/// resolved by the caller: `env` entries and secrets), its own policy and where it starts.
///
/// The server sees exactly `environment` plus a minimal `PATH` and `LANG` when those are missing
/// (and `TMPDIR=/tmp` inside bubblewrap): never pie's own environment or the model's keys.
public struct MCPStdioLaunch: Sendable, Equatable {
    public var command: String
    public var args: [String]
    public var environment: [String: String]
    /// The server's sandbox: read and write roots, network, sandbox mode (`off` runs it on the host).
    /// Reads are by allowlist whatever the policy says (see `SandboxedProcessRequest.policy`).
    public var policy: ToolPolicy
    /// Must be visible inside the sandbox: a read or write root of `policy`, or `/tmp` (private).
    public var workingDirectory: String
    public var limits: ResourceLimits

    public static let defaultPath = "/usr/local/bin:/usr/bin:/bin"
    public static let defaultLanguage = "C.UTF-8"

    public init(
        command: String, args: [String] = [], environment: [String: String] = [:], policy: ToolPolicy,
        workingDirectory: String = "/tmp", limits: ResourceLimits = SandboxedProcessRequest.serverLimits
    ) {
        self.command = command
        self.args = args
        self.environment = environment
        self.policy = policy
        self.workingDirectory = workingDirectory
        self.limits = limits
    }

    /// The environment the server process gets.
    public var serverEnvironment: [String: String] {
        var result = environment
        if result["PATH"] == nil { result["PATH"] = Self.defaultPath }
        if result["LANG"] == nil { result["LANG"] = Self.defaultLanguage }
        return result
    }

    /// The process request `SandboxedProcess` starts.
    public var processRequest: SandboxedProcessRequest {
        SandboxedProcessRequest(
            command: [command] + args, environment: serverEnvironment, workingDirectory: workingDirectory,
            policy: policy, limits: limits)
    }

    /// The defaults a server gets when nothing looser is configured: bubblewrap required (`force`),
    /// no network, no writable root (only a private `/tmp`), reads limited to the system allowlist
    /// (`/usr`, `/bin`, `/lib*`, chosen `/etc` entries; `$HOME` empty) plus `readRoots`.
    /// `projectRoot` names the project for the deny list; the server sees it only when it is one of
    /// `readRoots`.
    public static func defaultPolicy(projectRoot: String, home: String, readRoots: [String] = []) -> ToolPolicy {
        var paths = PathPolicy(
            projectRoot: projectRoot, readRoots: readRoots, writeRoots: [], deny: ["**/.env", "**/.env.*"],
            protected: [], home: home)
        paths.sandboxReads = .allowlist
        return ToolPolicy(
            preset: .hardened, paths: paths, maxFileReadBytes: 1 << 20, maxFileWriteBytes: 1 << 20,
            maxToolOutputBytes: 64 << 10, bashTimeoutMs: 60_000, maxCommandLength: 10_000, bashProfile: .strict,
            allowCommands: [], bashDryRun: false, trace: false, sandboxMode: .force, sandboxCommand: nil,
            sandboxNetwork: false, enforceRegularFiles: true, auditLog: nil)
    }
}

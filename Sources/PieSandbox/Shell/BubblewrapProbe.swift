import Glibc
import Synchronization
import PieSystem

/// Answers "does bubblewrap with our seccomp filter work on this machine?" by running
/// `bwrap … --seccomp 3 -- /bin/true` once per probe and bwrap path, then caching the answer (one
/// probe per process, in `SandboxServices`).
/// A cheap probe avoids the failure modes static checks miss (user namespaces disabled by sysctl
/// or AppArmor, a bwrap without `--seccomp`, a broken `/proc` mount).
public final class BubblewrapProbe: Sendable {
    public enum Result: Sendable, Equatable {
        case available(bwrap: String)
        case unavailable(reason: String)
    }

    private let cache = Mutex<[String: Result]>([:])

    public init() {}

    /// Hint appended to every "missing" message so the fix is one copy-paste away.
    public static let installHint = "install it with `apt-get install bubblewrap libseccomp-dev`"

    /// The bwrap binary pie uses: `/usr/bin/bwrap` first (distribution AppArmor profiles grant user
    /// namespaces to that path only), then the first `bwrap` on the injected `PATH`.
    public static func locate(environment: [String: String]) -> String? {
        let searchPath = environment["PATH"] ?? ShellEnvironment.defaultPath
        let candidates = ["/usr/bin/bwrap"] + searchPath.split(separator: ":").map { "\($0)/bwrap" }
        return candidates.first { access($0, X_OK) == 0 }
    }

    /// The cached verdict for this machine, probing on first use.
    public func check(environment: [String: String]) async -> Result {
        guard let bwrap = Self.locate(environment: environment) else {
            return .unavailable(reason: "bubblewrap (bwrap) is not installed; \(Self.installHint)")
        }
        if let known = cache.withLock({ $0[bwrap] }) { return known }
        let result = await Self.probe(bwrap: bwrap)
        cache.withLock { $0[bwrap] = result }
        return result
    }

    private static func probe(bwrap: String) async -> Result {
        let program: [UInt8]
        do {
            program = try SeccompFilter(allowInternet: false).compile()
        } catch {
            return .unavailable(reason: "seccomp filter could not be built (\(error.message)); \(installHint)")
        }
        guard let pipe = Descriptor.pipe() else {
            return .unavailable(reason: "cannot create a pipe for the seccomp probe")
        }
        defer { FileIO.close(pipe.read) }
        let written = FileIO.writeAll(pipe.write, program) == nil
        FileIO.close(pipe.write)
        guard written else { return .unavailable(reason: "cannot hand the seccomp filter to bwrap") }
        let argv = [
            bwrap, "--new-session", "--die-with-parent", "--unshare-all", "--cap-drop", "ALL", "--ro-bind", "/", "/",
            "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp", "--seccomp", "3", "--", "/bin/true",
        ]
        let request = SpawnRequest(
            executable: bwrap, arguments: argv, environment: ["PATH": ShellEnvironment.defaultPath],
            workingDirectory: "/", inheritedDescriptors: [pipe.read], limits: nil)
        let child: ChildProcess
        do {
            child = try ProcessSpawner.spawn(request)
        } catch {
            return .unavailable(reason: "bwrap could not be started: \(error.message)")
        }
        let collected = OutputCollector()
        let end = await ProcessSupervisor(timeoutMs: 10_000, outputLimitBytes: 65536)
            .run(child) { collected.append($0) }
        guard end.exitCode == 0 else {
            let detail = String(decoding: collected.bytes, as: UTF8.self)
                .split(whereSeparator: \.isNewline).joined(separator: " ")
            return .unavailable(
                reason: "bwrap does not work here (\(end.timedOut ? "timed out" : "exit \(end.exitCode ?? -1)")"
                    + (detail.isEmpty ? "" : ": \(detail)") + "); user namespaces may be disabled")
        }
        return .available(bwrap: bwrap)
    }
}

/// Collects output chunks from the supervisor thread for callers that want the whole output.
final class OutputCollector: Sendable {
    private let storage = Mutex<[UInt8]>([])

    func append(_ chunk: [UInt8]) {
        storage.withLock { $0 += chunk }
    }

    var bytes: [UInt8] { storage.withLock { $0 } }
}

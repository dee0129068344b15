import PiePolicy
import Testing

@testable import PieSandbox

/// A fake file system that also knows symlink targets, for the read allowlist.
struct FakeHostInspector: PathInspector {
    var kinds: [String: FileKind]
    var links: [String: String] = [:]

    func kind(of path: String) -> FileKind? { links[path] != nil ? .symlink : kinds[path] }
    func targetKind(of path: String) -> FileKind? { kinds[path] }
    func entries(of path: String) -> [DirectoryEntry] { FakeInspector(kinds: kinds).entries(of: path) }
    func hostEntry(_ path: String) -> SandboxReadRoots.HostEntry? {
        if let target = links[path] { return SandboxReadRoots.HostEntry(kind: .directory, linkTarget: target) }
        switch kinds[path] {
        case .directory?: return SandboxReadRoots.HostEntry(kind: .directory)
        case .regular?: return SandboxReadRoots.HostEntry(kind: .file)
        case nil: return nil
        default: return SandboxReadRoots.HostEntry(kind: .other)
        }
    }
}

@Suite("BubblewrapPlan: reads by allowlist")
struct BubblewrapReadPlanTests {
    static let host = FakeHostInspector(
        kinds: [
            "/usr": .directory, "/etc/passwd": .regular, "/etc/shadow": .regular, "/etc/ssh": .directory,
            "/opt": .directory, "/home/u/.ssh": .directory, "/home/u/.git-credentials": .regular,
            "/w/p": .directory, "/w/p/.git": .directory, "/w/p/.git/hooks": .directory, "/w/p/.git/config": .regular,
            "/w/p/logs": .directory, "/w/p/logs/audit.jsonl": .regular, "/w/p/.env": .regular,
            "/srv/ref": .directory,
        ],
        links: ["/bin": "usr/bin", "/lib64": "usr/lib64"])

    func plan(reads: SandboxReads) throws -> BubblewrapPlan {
        var paths = PathPolicy(
            projectRoot: "/w/p", readRoots: ["/srv/ref"], writeRoots: ["/w/p"],
            deny: ["~/.ssh", "~/.git-credentials", "**/.env", "/w/p/logs", "/w/p/logs/audit.jsonl"],
            protected: [".git/hooks", ".git/config"], home: "/home/u")
        paths.sandboxReads = reads
        return try BubblewrapPlan(
            bwrap: "/usr/bin/bwrap", paths: paths, allowNetwork: false, tmpfsBytes: 1024, workingDirectory: "/w/p",
            environment: ["HOME": "/home/u"], seccompDescriptor: 3, command: ["/bin/bash", "-c", "make"],
            inspector: Self.host)
    }

    @Test func goldenAllowlistArgv() throws {
        let arguments = try plan(reads: .allowlist).arguments
        #expect(arguments == [
            "/usr/bin/bwrap", "--new-session", "--die-with-parent", "--unshare-all", "--cap-drop", "ALL",
            "--dev", "/dev", "--size", "1024", "--tmpfs", "/dev/shm", "--proc", "/proc", "--size", "1024", "--tmpfs", "/tmp",
            "--ro-bind", "/usr", "/usr", "--symlink", "usr/bin", "/bin", "--symlink", "usr/lib64", "/lib64",
            "--ro-bind", "/etc/passwd", "/etc/passwd",
            "--size", "1024", "--tmpfs", "/home/u",
            "--ro-bind", "/srv/ref", "/srv/ref",
            "--bind", "/w/p", "/w/p",
            "--bind", "/w/p/.git", "/w/p/.git",
            "--bind", "/w/p/logs", "/w/p/logs",
            "--ro-bind", "/w/p/.git/hooks", "/w/p/.git/hooks",
            "--ro-bind", "/w/p/.git/config", "/w/p/.git/config",
            "--ro-bind", "/dev/null", "/w/p/.git/config.worktree",
            "--ro-bind", "/dev/null", "/w/p/.git/info",
            "--ro-bind", "/dev/null", "/w/p/.git/modules",
            "--ro-bind", "/dev/null", "/w/p/.git/worktrees",
            "--ro-bind", "/dev/null", "/w/p/.git/branches",
            "--ro-bind", "/dev/null", "/w/p/.git/remotes",
            "--ro-bind", "/dev/null", "/w/p/.git/rebase-merge",
            "--ro-bind", "/dev/null", "/w/p/.git/rebase-apply",
            "--ro-bind", "/dev/null", "/w/p/.git/sequencer",
            "--ro-bind", "/dev/null", "/w/p/.git/rr-cache",
            "--tmpfs", "/w/p/logs", "--remount-ro", "/w/p/logs",
            "--ro-bind", "/dev/null", "/w/p/.env",
            "--remount-ro", "/home/u", "--remount-ro", "/",
            "--chdir", "/w/p", "--clearenv", "--setenv", "HOME", "/home/u",
            "--seccomp", "3", "--", "/bin/bash", "-c", "make",
        ])
    }

    /// The host view keeps `/` and masks the deny list; the directory above a denied path inside
    /// the project is pinned so it cannot be renamed away from the path pie writes.
    @Test func hostViewPinsAboveDeniedPaths() throws {
        let plan = try plan(reads: .host)
        #expect(plan.mounts.first == .readOnlyBind(source: "/", destination: "/"))
        #expect(plan.mounts.contains(.bind("/w/p/logs")))
        #expect(plan.mounts.contains(.tmpfs("/home/u/.ssh", sizeBytes: nil)))
        #expect(plan.mounts.contains(.readOnlyBind(source: "/dev/null", destination: "/home/u/.git-credentials")))
        #expect(!plan.mounts.contains(.remountReadOnly("/")))
        let logs = try #require(plan.mounts.firstIndex(of: .bind("/w/p/logs")))
        let mask = try #require(plan.mounts.firstIndex(of: .tmpfs("/w/p/logs", sizeBytes: nil)))
        #expect(logs < mask)
    }

    /// The warm sandbox's fresh /tmp and /dev/shm still apply on the allowlist's read-only root.
    @Test func allowlistKeepsPrivateScratch() throws {
        let plan = try plan(reads: .allowlist)
        #expect(plan.isPrivateTmpfs("/tmp") && plan.isPrivateTmpfs("/dev/shm"))
        #expect(!plan.isPrivateTmpfs("/home/u"))
    }
}

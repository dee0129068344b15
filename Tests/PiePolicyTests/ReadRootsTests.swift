import Foundation
import Testing
import PieJSON

@testable import PiePolicy

/// The read allowlist (`sandbox_reads`), and pie's own state denied from the run's actual paths.
@Suite("Read roots and state paths")
struct ReadRootsTests {
    typealias Entry = SandboxReadRoots.HostEntry

    /// A host as `lstat`/`stat`/`readlink` would see it.
    static let host: [String: Entry] = [
        "/usr": Entry(kind: .directory),
        "/bin": Entry(kind: .directory, linkTarget: "usr/bin"),
        "/lib": Entry(kind: .directory, linkTarget: "usr/lib"),
        "/opt": Entry(kind: .directory),
        "/etc/passwd": Entry(kind: .file),
        "/etc/shadow": Entry(kind: .file),
        "/etc/gshadow": Entry(kind: .file),
        "/etc/sudoers": Entry(kind: .file),
        "/etc/ssh": Entry(kind: .directory),
        "/etc/ssl/private": Entry(kind: .directory),
        "/etc/ssl/certs": Entry(kind: .directory),
        "/etc/npmrc": Entry(kind: .file),
        "/etc/resolv.conf": Entry(kind: .file, linkTarget: "/run/systemd/resolve/stub-resolv.conf"),
        "/etc/localtime": Entry(kind: nil, linkTarget: "/usr/share/zoneinfo/Nowhere"),
        "/etc/hosts": Entry(kind: .other),
        "/w/p": Entry(kind: .directory),
        "/w/p/docs": Entry(kind: .directory),
        "/data/ref": Entry(kind: .directory),
    ]

    func paths(home: String = "/home/u", readRoots: [String] = ["/w/p/docs", "/data/ref", "/gone"]) -> PathPolicy {
        var paths = PathPolicy(
            projectRoot: "/w/p", readRoots: readRoots, writeRoots: ["/w/p"], deny: [], protected: [], home: home)
        paths.sandboxReads = .allowlist
        return paths
    }

    @Test func allowlistBindsOnlyWhatItNames() {
        let binds = SandboxReadRoots.binds(paths: paths()) { Self.host[$0] }
        #expect(binds == [
            .readOnly("/usr"), .symlink("/bin", target: "usr/bin"), .symlink("/lib", target: "usr/lib"),
            .readOnly("/etc/passwd"), .readOnly("/etc/resolv.conf"), .readOnly("/etc/ssl/certs"),
            .emptyHome("/home/u"), .readOnly("/data/ref"),
        ])
    }

    /// What a security engineer would never let a command read is not on the /etc allowlist,
    /// whatever the host has.
    @Test func etcAllowlistNamesNoSecret() {
        let secrets = [
            "shadow", "shadow-", "gshadow", "gshadow-", "sudoers", "sudoers.d", "ssh", "ssl/private", "ssl",
            "krb5.keytab", "npmrc", "pip.conf", "apt", "maven", "environment", "wgetrc", "netrc", "machine-id",
            "security", "pam.d", "polkit-1", "docker", "containerd", "mtab", "subuid", "subgid",
        ]
        for secret in secrets {
            #expect(!SandboxReadRoots.etcEntries.contains(secret), "/etc/\(secret) must stay out of the sandbox")
        }
        #expect(!SandboxReadRoots.systemDirectories.contains { ["/opt", "/var", "/srv", "/root", "/home", "/run", "/mnt", "/media"].contains($0) })
    }

    @Test func homeInsideARootIsTheRootsToShow() {
        let binds = SandboxReadRoots.binds(paths: paths(home: "/w/p/.home")) { Self.host[$0] }
        #expect(!binds.contains { if case .emptyHome = $0 { true } else { false } })
        let rootHome = SandboxReadRoots.binds(paths: paths(home: "/")) { Self.host[$0] }
        #expect(!rootHome.contains { if case .emptyHome = $0 { true } else { false } })
    }

    @Test func hostLookupSeesSymlinksAndTheirEnds() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.file("real/file", "x")
        symlink("real", dir.path + "/link")
        symlink("nowhere", dir.path + "/dangling")
        #expect(SandboxReadRoots.hostLookup(dir.path + "/real") == Entry(kind: .directory))
        #expect(SandboxReadRoots.hostLookup(dir.path + "/real/file") == Entry(kind: .file))
        #expect(SandboxReadRoots.hostLookup(dir.path + "/link") == Entry(kind: .directory, linkTarget: "real"))
        #expect(SandboxReadRoots.hostLookup(dir.path + "/dangling") == Entry(kind: nil, linkTarget: "nowhere"))
        #expect(SandboxReadRoots.hostLookup(dir.path + "/missing") == nil)
    }

    @Test("hardened and strict read by allowlist, balanced reads the host; print-tool-policy lists it")
    func presetsAndReport() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        for preset in [PolicyPreset.hardened, .strict] {
            let effective = try buildPolicy(cwd: dir.path, home: "/nonexistent-home", preset: preset)
            #expect(effective.policy.paths.sandboxReads == .allowlist)
            let text = PolicyReport.json(effective, bashRules: nil).rendered(pretty: false)
            #expect(text.contains(#""sandbox_read_roots":[{"path":"/usr","mount":"read-only"}"#))
            #expect(text.contains(#"{"path":"/nonexistent-home","mount":"empty, read-only $HOME"}"#))
            #expect(text.contains(#"{"path":"\#(dir.path)","mount":"read-write"}"#))
            #expect(!text.contains(#""path":"/etc/shadow""#))
        }
        let balanced = try buildPolicy(cwd: dir.path)
        #expect(balanced.policy.paths.sandboxReads == .host)
        let text = PolicyReport.json(balanced, bashRules: nil).rendered(pretty: false)
        #expect(text.contains(#""sandbox_read_roots":[{"path":"/","mount":"read-only, deny_paths masked"}"#))
    }

    @Test("a project policy that switches to host reads is reported as loosening")
    func hostReadsLoosen() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.file(".pie/policy.toml", "extends = \"hardened\"\nsandbox_reads = \"host\"\n")
        let effective = try buildPolicy(cwd: dir.path)
        #expect(effective.warnings.contains { $0.contains("loosens sandbox_reads") })
        #expect(effective.policy.paths.sandboxReads == .host)
    }

    // MARK: state paths

    @Test("PIE_DIR anywhere, the audit log and its directory are denied, with provenance")
    func stateIsDenied() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.directory("project/logs")
        try dir.directory("state")
        let project = dir.path + "/project"
        for preset in PolicyPreset.allCases {
            let effective = try buildPolicy(
                cwd: project, environment: ["PIE_DIR": dir.path + "/state"], preset: preset,
                flags: flagLayer([(.toolAuditLog, .string("logs/audit.jsonl"))]))
            let paths = effective.policy.paths
            for (path, access) in [
                (dir.path + "/state/auth.json", PathAccess.read), (dir.path + "/state/sessions/x.jsonl", .write),
                (project + "/logs/audit.jsonl", .write), (project + "/logs/audit.jsonl", .read),
                (project + "/logs/other", .write),
            ] {
                guard case .denied(let rule, _) = paths.classify(path, access: access) else {
                    Issue.record("\(preset): \(access) of \(path) is allowed")
                    continue
                }
                #expect(rule == "path.deny")
            }
            #expect(paths.classify(project + "/src/main.c", access: .write) == .allowed(root: project))
            #expect(effective.stateDeny.contains(StatePath(path: dir.path + "/state", what: "pie state directory (sessions, auth.json, the default audit log), PIE_DIR", source: "env:PIE_DIR")))
            #expect(effective.stateDeny.contains(StatePath(path: project + "/logs/audit.jsonl", what: "audit log", source: "flag")))
            #expect(effective.stateDeny.contains(StatePath(path: project + "/logs", what: "audit log directory", source: "flag")))
            #expect(effective.warnings.isEmpty)
        }
    }

    @Test("a log at the project's top level denies the file, not the project")
    func topLevelLogDeniesTheFileOnly() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let effective = try buildPolicy(
            cwd: dir.path, preset: .hardened, flags: flagLayer([(.toolAuditLog, .string("audit.jsonl"))]))
        let paths = effective.policy.paths
        #expect(paths.classify(dir.path + "/audit.jsonl", access: .write) != .allowed(root: dir.path))
        #expect(paths.classify(dir.path + "/README", access: .write) == .allowed(root: dir.path))
        #expect(!effective.stateDeny.contains { $0.path == dir.path })
    }

    @Test("a state path reached through a symlink is denied under both names")
    func symlinkedStateIsDeniedCanonically() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.directory("project")
        try dir.directory("real-state")
        symlink(dir.path + "/real-state", dir.path + "/project/state-link")
        let effective = try buildPolicy(
            cwd: dir.path + "/project", environment: ["PIE_DIR": dir.path + "/project/state-link"], preset: .hardened)
        let paths = effective.policy.paths
        for path in [dir.path + "/project/state-link/auth.json", dir.path + "/real-state/auth.json"] {
            #expect(paths.classify(path, access: .read) != .allowed(root: dir.path + "/project"))
        }
        #expect(effective.stateDeny.map(\.path).contains(dir.path + "/real-state"))
    }

    @Test("the caller's session file is denied; a PIE_DIR holding the project is a warning")
    func sessionFileAndWarnings() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        var inputs = PolicyInputs(cwd: dir.path, home: "/nonexistent-home", environment: ["PIE_DIR": dir.path])
        inputs.statePaths = [StatePath(path: dir.path + "/chat/session.jsonl", what: "session file", source: "--session")]
        let effective = try PolicyBuilder.build(inputs)
        #expect(effective.stateDeny.contains(StatePath(path: dir.path + "/chat", what: "session file directory", source: "--session")))
        #expect(effective.warnings.contains { $0.contains("contains the project or a writable root") })
        #expect(effective.policy.paths.classify(dir.path + "/x", access: .write) != .allowed(root: dir.path))
    }
}

import Foundation
import PiePolicy
import Testing

@testable import PieSandbox

/// A `$HOME` the test controls, shared by the projects of one test, with a state directory apart.
/// The home lies outside `/tmp`, whose sandbox view is private.
private final class CacheHome {
    let home: Scratch
    let state: Scratch

    init() throws {
        home = try Scratch("pie-cache-home", in: "/var/tmp")
        state = try Scratch("pie-cache-state", in: "/var/tmp")
        try home.write(".cargo/registry/index/host-crate", "host\n")
        try home.write(".cargo/config.toml", "[net]\n")
        try home.write(".cargo/bin/cargo", "#!/bin/sh\n")
        try FileManager.default.createDirectory(atPath: home.file(".cargo/git"), withIntermediateDirectories: true)
    }

    var environment: [String: String] {
        ["PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": home.path, "LANG": "C.UTF-8", "PIE_DIR": state.path]
    }

    /// pie's policy for `project` under `preset`, as the command line builds it.
    func policy(_ project: Scratch, preset: PolicyPreset = .balanced) throws -> EffectivePolicy {
        try PolicyBuilder.build(PolicyInputs(cwd: project.path, home: home.path, environment: environment, presetFlag: preset))
    }

    func shell(_ project: Scratch, start: SandboxStart, preset: PolicyPreset = .balanced) throws -> SandboxedShell {
        var shell = SandboxedShell(policy: try policy(project, preset: preset).policy, environment: environment, limits: TestPolicy.strictLimits)
        shell.warm = start == .warm ? Fixture.warmSandboxes : nil
        return shell
    }

    /// Entries of a host directory below `$HOME`, sorted.
    func entries(_ relative: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: home.file(relative))) ?? []).sorted()
    }
}

/// Runs `command` in bubblewrap (the balanced preset's `auto` must pick it) and checks the start.
private func run(
    _ shell: SandboxedShell, _ project: Scratch, _ start: SandboxStart, _ command: String
) async throws -> (outcome: ShellOutcome, output: String) {
    try await requireSandbox()
    let result = try await runShell(shell, command, cwd: project.path)
    #expect(result.outcome.sandbox == .bwrap)
    #expect(result.outcome.servedWarm == (start == .warm), "the command ran \(start == .warm ? "cold" : "warm")")
    return result
}

/// Package caches in balanced's sandbox: each `sandbox_caches` directory is a private, per-project
/// writable directory, so builds can download; the host's cache is never written, other places in
/// `$HOME` stay read-only, and the private directories are out of every tool's reach.
@Suite("Package caches in the sandbox") struct SandboxCacheTests {
    /// The writes cargo, npm, pip, Go, Maven and yarn make to their caches, simulated with the shell.
    static let cacheWrites = [
        "mkdir -p ~/.cargo/registry/cache/idx && echo crate > ~/.cargo/registry/cache/idx/dep-1.0.crate",
        "mkdir -p ~/.cargo/git/db/dep && echo pack > ~/.cargo/git/db/dep/pack",
        "mkdir -p ~/.npm/_cacache/content-v2 && echo tgz > ~/.npm/_cacache/content-v2/dep",
        "mkdir -p ~/.cache/pip/wheels/ab && echo whl > ~/.cache/pip/wheels/ab/dep.whl",
        "mkdir -p ~/.cache/go-build/00 && echo obj > ~/.cache/go-build/00/a-d",
        "mkdir -p ~/.cache/yarn/v6 && echo tgz > ~/.cache/yarn/v6/dep",
    ]

    @Test(arguments: SandboxStart.allCases)
    func cacheWritesSucceedAndStayOffTheHost(_ start: SandboxStart) async throws {
        let home = try CacheHome()
        let project = try Scratch("pie-cache-project")
        let shell = try home.shell(project, start: start)
        let command = Self.cacheWrites.enumerated().map { index, write in
            "( \(write) ) 2>&1; echo \"write \(index): $?\""
        }.joined(separator: "\n")
        let (_, output) = try await run(shell, project, start, command)
        for (index, write) in Self.cacheWrites.enumerated() {
            #expect(output.contains("write \(index): 0\n"), "'\(write)' failed: \(output)")
        }
        #expect(home.entries(".cargo/registry") == ["index"], "the host's registry changed")
        #expect(home.home.read(".cargo/registry/index/host-crate") == "host\n")
        #expect(home.entries(".cargo/git").isEmpty)
        for created in [".npm", ".cache/pip", ".cache/go-build", ".cache/yarn"] {
            #expect(home.entries(created).isEmpty, "\(created) on the host holds \(home.entries(created))")
        }
        let directory = try #require(SandboxCaches.projectDirectory(shell.policy.paths))
        #expect(FileManager.default.contents(atPath: directory + "/.cargo/registry/upper/cache/idx/dep-1.0.crate") == Data("crate\n".utf8))
    }

    /// A copy-on-write view: the host's cached packages are there, and changing or deleting one
    /// changes only the project's copy.
    @Test(arguments: SandboxStart.allCases)
    func hostCacheIsSeenButNeverChanged(_ start: SandboxStart) async throws {
        let home = try CacheHome()
        let project = try Scratch("pie-cache-project")
        let shell = try home.shell(project, start: start)
        let (outcome, output) = try await run(
            shell, project, start,
            "cat ~/.cargo/registry/index/host-crate && echo poisoned > ~/.cargo/registry/index/host-crate "
                + "&& cat ~/.cargo/registry/index/host-crate && rm ~/.cargo/registry/index/host-crate "
                + "&& ls -A ~/.cargo/registry/index && echo done")
        #expect(outcome.exitCode == 0 && output == "host\npoisoned\ndone\n", "\(output)")
        #expect(home.home.read(".cargo/registry/index/host-crate") == "host\n")
        let again = try await run(shell, project, start, "ls -A ~/.cargo/registry/index; echo end")
        #expect(again.output == "end\n", "the deletion did not persist for the project: \(again.output)")
        let other = try Scratch("pie-cache-other")
        let elsewhere = try await run(try home.shell(other, start: start), other, start, "cat ~/.cargo/registry/index/host-crate")
        #expect(elsewhere.output == "host\n")
    }

    /// The project's next command sees what the first one cached; another project does not.
    @Test(arguments: SandboxStart.allCases)
    func cachePersistsForTheProjectOnly(_ start: SandboxStart) async throws {
        let home = try CacheHome()
        let project = try Scratch("pie-cache-project")
        let other = try Scratch("pie-cache-other")
        let shell = try home.shell(project, start: start)
        let first = try await run(shell, project, start, "echo crate > ~/.cargo/registry/dep.crate && echo wheel > ~/.cache/pip/dep.whl")
        #expect(first.outcome.exitCode == 0, "\(first.output)")
        let second = try await run(shell, project, start, "cat ~/.cargo/registry/dep.crate ~/.cache/pip/dep.whl")
        #expect(second.output == "crate\nwheel\n")
        let elsewhere = try await run(
            try home.shell(other, start: start), other, start,
            "ls -A ~/.cargo/registry ~/.cache/pip; cat ~/.cargo/registry/dep.crate 2>&1; echo rc=$?")
        #expect(!elsewhere.output.contains("crate\n") && elsewhere.output.contains("rc=1"), "\(elsewhere.output)")
        #expect(!home.home.exists(".cargo/registry/dep.crate") && !home.home.exists(".cache/pip/dep.whl"))
    }

    /// Only the listed caches are private and writable: the rest of `$HOME`, cargo's binaries and
    /// configuration included, stays read-only, and the private directories of every project are
    /// masked, so one project cannot read or plant into another's cache.
    @Test(arguments: SandboxStart.allCases)
    func everythingElseStaysReadOnly(_ start: SandboxStart) async throws {
        let home = try CacheHome()
        let project = try Scratch("pie-cache-project")
        let other = try Scratch("pie-cache-other")
        let otherDirectory = try #require(SandboxCaches.projectDirectory(try home.policy(other).policy.paths))
        let shell = try home.shell(project, start: start)
        // The other project's private cache exists (it ran a build before).
        _ = try await run(try home.shell(other, start: start), other, start, "echo theirs > ~/.cargo/registry/private.crate")
        #expect(FileManager.default.fileExists(atPath: otherDirectory + "/.cargo/registry/upper/private.crate"))
        let writes = [
            "echo '[build] rustc-wrapper = \"/tmp/x\"' >> ~/.cargo/config.toml", "cp /bin/sh ~/.cargo/bin/cargo",
            "touch ~/.cargo/bin/evil", "touch ~/.cargo/new-file", "mkdir ~/.cargo/registry2", "touch ~/.bashrc",
            "mkdir -p ~/.local/lib/python3/site-packages && touch ~/.local/lib/python3/site-packages/x.pth",
            "rm -rf ~/.cargo/registry", "mv ~/.cargo/registry ~/.cargo/registry-old",
            "echo x > \(otherDirectory)/.cargo/registry/upper/private.crate",
            "cat \(otherDirectory)/.cargo/registry/upper/private.crate", "ls \(otherDirectory)/.cargo/registry/upper",
            "ls /tmp/.pie-caches/.cargo", "touch /tmp/.pie-caches/x", "umount ~/.cargo/registry",
        ]
        let command = writes.enumerated().map { index, write in
            "( \(write) ) >/dev/null 2>&1; echo \"write \(index): $?\""
        }.joined(separator: "\n")
        let (_, output) = try await run(shell, project, start, command)
        for (index, write) in writes.enumerated() {
            #expect(output.contains("write \(index): ") && !output.contains("write \(index): 0\n"), "'\(write)' succeeded: \(output)")
        }
        #expect(home.home.read(".cargo/config.toml") == "[net]\n" && home.home.read(".cargo/bin/cargo") == "#!/bin/sh\n")
        #expect(home.entries(".cargo") == ["bin", "config.toml", "git", "registry"])
        #expect(!home.home.exists(".bashrc") && !home.home.exists(".local"))
        #expect(FileManager.default.contents(atPath: otherDirectory + "/.cargo/registry/upper/private.crate") == Data("theirs\n".utf8))
    }

    /// With caches, a command in a bubblewrap of its own starts through `pie-sandbox-init --exec`,
    /// which held three capabilities to mount the overlays: the command itself has none, in any
    /// set, runs with no_new_privs under pie's seccomp program, and cannot mount, unmount or make
    /// namespaces, exactly as a command that bwrap started directly.
    @Test(arguments: SandboxStart.allCases)
    func commandsKeepNoCapabilities(_ start: SandboxStart) async throws {
        requirePerl()
        let home = try CacheHome()
        let project = try Scratch("pie-cache-project")
        let shell = try home.shell(project, start: start)
        let (_, output) = try await run(
            shell, project, start,
            "grep -E '^(CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp):' /proc/self/status; "
                + "echo mount=$(\(perlSyscall(Syscall.mount, ["0", "0", "0", "0", "0"]))); "
                + "echo unshare=$(\(perlSyscall(Syscall.unshare, ["0x20000"]))); "
                + "umount -l ~/.cargo/registry 2>/dev/null; echo umount=$?")
        for set in ["CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"] {
            #expect(output.contains("\(set):\t0000000000000000"), "\(set) is not empty: \(output)")
        }
        #expect(output.contains("NoNewPrivs:\t1") && output.contains("Seccomp:\t2"), "\(output)")
        #expect(output.contains("mount=errno=1") && output.contains("unshare=errno=1") && !output.contains("umount=0"), "\(output)")
    }

    /// The file tools cannot reach the private caches either: the cache root is on the deny list
    /// (pie's own state), and the cache paths in `$HOME` are outside every root.
    @Test func toolsCannotReachThePrivateCaches() throws {
        let home = try CacheHome()
        let project = try Scratch("pie-cache-project")
        let effective = try home.policy(project)
        let paths = effective.policy.paths
        let root = try #require(paths.sandboxCacheRoot)
        #expect(root == home.home.path + "/.cache/pie/sandbox-caches")
        #expect(effective.stateDeny.contains { $0.path == root && $0.source == "sandbox_caches" })
        let directory = try #require(SandboxCaches.projectDirectory(paths))
        SandboxCaches.prepare(paths)
        let files = ConfinedFileOperations(paths: paths, enforceRegularFiles: true)
        for target in [directory + "/.cargo/registry/upper/planted.crate", root + "/x", home.home.path + "/.cargo/registry/planted.crate"] {
            #expect(throws: FileOperationError.self, "write to \(target) was allowed") {
                try files.write(target, contents: Array("x".utf8))
            }
            if case .allowed = paths.classify(target, access: .write) { Issue.record("\(target) is writable by policy") }
            if case .allowed = paths.classify(target, access: .read), target.hasPrefix(root) {
                Issue.record("\(target) is readable by policy")
            }
        }
        #expect(!FileManager.default.fileExists(atPath: directory + "/.cargo/registry/upper/planted.crate"))
    }

    /// strict and hardened read by allowlist: `$HOME` is empty there, so no cache is bound and no
    /// private directory is made.
    @Test func allowlistReadsGetNoCaches() throws {
        let home = try CacheHome()
        let project = try Scratch("pie-cache-project")
        for preset in [PolicyPreset.strict, .hardened] {
            let paths = try home.policy(project, preset: preset).policy.paths
            SandboxCaches.prepare(paths)
            #expect(SandboxCaches.caches(paths: paths, inspector: SystemPathInspector()).isEmpty)
        }
        #expect(!home.home.exists(".cache/pie"))
    }
}

/// The plan's side of the caches, against a fake file system.
@Suite("SandboxCaches plan") struct SandboxCachePlanTests {
    static let home = "/home/u"

    func paths(reads: SandboxReads = .host, writeRoots: [String] = ["/w/p"], readRoots: [String] = ["/w/p"]) -> PathPolicy {
        var paths = PathPolicy(
            projectRoot: "/w/p", readRoots: readRoots, writeRoots: writeRoots, deny: ["~/.ssh", "~/.cache/pie/sandbox-caches"],
            protected: [], home: Self.home)
        paths.sandboxReads = reads
        paths.sandboxCaches = ["/home/u/.cargo/registry", "/home/u/.npm", "/home/u/.ssh/cache", "/home/u/.cache/pip", "/home/u/go/pkg/mod"]
        paths.sandboxCacheRoot = "/home/u/.cache/pie/sandbox-caches"
        return paths
    }

    func plan(_ paths: PathPolicy, _ kinds: [String: FileKind], cacheInit: String? = nil) throws -> BubblewrapPlan {
        try BubblewrapPlan(
            bwrap: "/usr/bin/bwrap", paths: paths, allowNetwork: true, tmpfsBytes: 1024, workingDirectory: "/w/p",
            environment: [:], seccompDescriptor: 3, command: ["/bin/true"], inspector: FakeInspector(kinds: kinds),
            cacheInit: cacheInit)
    }

    /// A fake host: the caches that exist, and the private directories `prepare` would have made.
    func kinds(_ directory: String) -> [String: FileKind] {
        var kinds: [String: FileKind] = [
            "/w/p": .directory, "/home/u/.cargo/registry": .directory, "/home/u/.npm": .symlink,
            "/home/u/.ssh": .directory, "/home/u/.ssh/cache": .directory, "/home/u/.cache/pip": .directory,
            "/home/u/.cache/pie/sandbox-caches": .directory, "/home/u/.cargo/registry/secret": .regular,
        ]
        for relative in [".cargo/registry", ".npm", ".ssh/cache", "go/pkg/mod"] {
            kinds[directory + "/" + relative + "/upper"] = .directory
            kinds[directory + "/" + relative + "/work"] = .directory
        }
        return kinds
    }

    /// Without `pie-sandbox-init` each existing real cache directory gets its private directory,
    /// bound read-write after the roots and before the masks; a symlinked, missing, denied or
    /// unprepared cache is left alone.
    @Test func bindsExistingCachesOnly() throws {
        let paths = paths()
        let directory = try #require(SandboxCaches.projectDirectory(paths))
        let argv = try plan(paths, kinds(directory)).arguments
        let binds = argv.indices.filter { argv[$0] == "--bind" }.map { argv[$0 + 1] + " " + argv[$0 + 2] }
        #expect(binds == ["/w/p /w/p", directory + "/.cargo/registry/upper /home/u/.cargo/registry"])
        let mask = try #require(argv.firstIndex(of: "/home/u/.cache/pie/sandbox-caches"))
        #expect(try #require(argv.firstIndex(of: "/home/u/.cargo/registry")) < mask, "the cache bind must come before the masks")
        #expect(directory.hasPrefix("/home/u/.cache/pie/sandbox-caches/") && directory.utf8.count == "/home/u/.cache/pie/sandbox-caches/".utf8.count + 32)
        #expect(argv.contains("--seccomp") && !argv.contains("CAP_SYS_ADMIN"))
    }

    /// With the init, a cache becomes an overlay the init mounts: bwrap keeps the three
    /// capabilities for it, stages the project's directory under `/tmp`, and leaves the seccomp
    /// program to the init, which installs it after dropping them. A cache with a denied path
    /// inside is bound on its own, since an overlay would show what the mask hides.
    @Test func overlaysGoThroughTheInit() throws {
        var paths = paths()
        paths.deny.append("~/.cache/pip/secret")
        let directory = try #require(SandboxCaches.projectDirectory(paths))
        var kinds = kinds(directory)
        kinds[directory + "/.cache/pip/upper"] = .directory
        kinds[directory + "/.cache/pip/work"] = .directory
        kinds["/home/u/.cache/pip/secret"] = .regular
        let plan = try plan(paths, kinds, cacheInit: "/opt/pie/pie-sandbox-init")
        let argv = plan.arguments
        let tail = Array(argv.suffix(from: try #require(argv.firstIndex(of: "--"))))
        #expect(tail == [
            "--", "/tmp/.pie-sandbox-init", "--exec", "3",
            "--overlay", "/home/u/.cargo/registry", "/tmp/.pie-caches/.cargo/registry/upper", "/tmp/.pie-caches/.cargo/registry/work",
            "--hide", "/tmp/.pie-caches", "--", "/bin/true",
        ])
        #expect(!argv.contains("--seccomp"))
        #expect(argv.joined(separator: " ").contains(
            "--cap-drop ALL --cap-add CAP_SYS_ADMIN --cap-add CAP_SETPCAP --cap-add CAP_DAC_OVERRIDE --ro-bind / /"))
        let binds = argv.indices.filter { argv[$0] == "--bind" }.map { argv[$0 + 1] + " " + argv[$0 + 2] }
        #expect(binds == ["/w/p /w/p", directory + "/.cache/pip/upper /home/u/.cache/pip", directory + " /tmp/.pie-caches"])
        #expect(argv.joined(separator: " ").contains("--ro-bind /opt/pie/pie-sandbox-init /tmp/.pie-sandbox-init"))

        let base = plan.warmBase(initPath: "/opt/pie/pie-sandbox-init")
        #expect(base.command == ["/tmp/.pie-sandbox-init", "3"] + Array(tail[4..<10]))
        #expect(base.capabilities == ["CAP_SYS_ADMIN", "CAP_SETPCAP", "CAP_DAC_OVERRIDE"] && !base.initWrapsCommand)
        #expect(base.arguments.filter { $0 == "/tmp/.pie-sandbox-init" }.count == 2, "one bind of the init and its argv[0]")
        #expect(plan.command == ["/bin/true"], "a warm command runs the command itself")
    }

    /// Under `allowlist` reads, for a cache inside a writable root, and for one inside a read root
    /// (the user asked for the host's cache as it is), nothing is bound.
    @Test func noCachesUnderAllowlistOrInsideARoot() throws {
        let kinds: [String: FileKind] = ["/w/p": .directory, "/home/u": .directory, "/home/u/.cargo/registry": .directory]
        let cases = [
            paths(reads: .allowlist), paths(writeRoots: ["/w/p", "/home/u"]),
            paths(readRoots: ["/w/p", "/home/u/.cargo/registry"]),
        ]
        for paths in cases {
            #expect(!paths.applicableSandboxCaches.contains("/home/u/.cargo/registry"))
            var withPrivate = kinds
            if let directory = SandboxCaches.projectDirectory(paths) { withPrivate[directory + "/.cargo/registry"] = .directory }
            let argv = try plan(paths, withPrivate).arguments
            #expect(!argv.contains { $0.hasPrefix("/home/u/.cache/pie/sandbox-caches/") }, "\(argv)")
        }
    }

    /// Another project's private directory is another directory.
    @Test func eachProjectHasItsOwnDirectory() {
        var other = paths()
        other.projectRoot = "/w/q"
        #expect(SandboxCaches.projectDirectory(paths()) != SandboxCaches.projectDirectory(other))
    }
}

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
        #expect(FileManager.default.contents(atPath: directory + "/.cargo/registry/cache/idx/dep-1.0.crate") == Data("crate\n".utf8))
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
        #expect(FileManager.default.fileExists(atPath: otherDirectory + "/.cargo/registry/private.crate"))
        let writes = [
            "echo '[build] rustc-wrapper = \"/tmp/x\"' >> ~/.cargo/config.toml", "cp /bin/sh ~/.cargo/bin/cargo",
            "touch ~/.cargo/bin/evil", "touch ~/.cargo/new-file", "mkdir ~/.cargo/registry2", "touch ~/.bashrc",
            "mkdir -p ~/.local/lib/python3/site-packages && touch ~/.local/lib/python3/site-packages/x.pth",
            "rm -rf ~/.cargo/registry", "mv ~/.cargo/registry ~/.cargo/registry-old",
            "echo x > \(otherDirectory)/.cargo/registry/private.crate", "cat \(otherDirectory)/.cargo/registry/private.crate",
            "ls \(otherDirectory)/.cargo/registry/private.crate", "umount -l ~/.cargo/registry",
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
        #expect(FileManager.default.contents(atPath: otherDirectory + "/.cargo/registry/private.crate") == Data("theirs\n".utf8))
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
        for target in [directory + "/.cargo/registry/planted.crate", root + "/x", home.home.path + "/.cargo/registry/planted.crate"] {
            #expect(throws: FileOperationError.self, "write to \(target) was allowed") {
                try files.write(target, contents: Array("x".utf8))
            }
            if case .allowed = paths.classify(target, access: .write) { Issue.record("\(target) is writable by policy") }
            if case .allowed = paths.classify(target, access: .read), target.hasPrefix(root) {
                Issue.record("\(target) is readable by policy")
            }
        }
        #expect(!FileManager.default.fileExists(atPath: directory + "/.cargo/registry/planted.crate"))
    }

    /// `pie sandbox doctor` and the session banner name the caches on this machine, where the
    /// project's copies are, and that they start empty; under the allowlist there are none.
    @Test func inForceLineNamesTheCaches() throws {
        let home = try CacheHome()
        let project = try Scratch("pie-cache-project")
        let balanced = try home.policy(project).policy
        let directory = try #require(SandboxCaches.projectDirectory(balanced.paths))
        let line = SandboxInForce.describe(balanced, containment: .success(.bubblewrap(path: "/usr/bin/bwrap"))).line
        #expect(line.hasSuffix(
            "; package caches (~/.cargo/registry, ~/.cargo/git): private to this project in \(directory), "
                + "starting empty (not a copy-on-write view of the host's), the host's stay read-only"), "\(line)")
        let strict = try home.policy(project, preset: .strict).policy
        #expect(!SandboxInForce.describe(strict, containment: .success(.bubblewrap(path: "/usr/bin/bwrap"))).line.contains("package caches"))
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

    func plan(_ paths: PathPolicy, _ kinds: [String: FileKind]) throws -> BubblewrapPlan {
        try BubblewrapPlan(
            bwrap: "/usr/bin/bwrap", paths: paths, allowNetwork: true, tmpfsBytes: 1024, workingDirectory: "/w/p",
            environment: [:], seccompDescriptor: 3, command: ["/bin/true"], inspector: FakeInspector(kinds: kinds))
    }

    /// Each existing real cache directory gets its private directory, bound read-write after the
    /// roots and before the masks; a symlinked, missing, denied or unprepared cache is left alone.
    @Test func bindsExistingCachesOnly() throws {
        let paths = paths()
        let directory = try #require(SandboxCaches.projectDirectory(paths))
        let kinds: [String: FileKind] = [
            "/w/p": .directory, "/home/u/.cargo/registry": .directory, directory + "/.cargo/registry": .directory,
            "/home/u/.npm": .symlink, directory + "/.npm": .directory,
            "/home/u/.ssh": .directory, "/home/u/.ssh/cache": .directory, directory + "/.ssh/cache": .directory,
            "/home/u/.cache/pip": .directory,
            directory + "/go/pkg/mod": .directory,
            "/home/u/.cache/pie/sandbox-caches": .directory,
        ]
        let argv = try plan(paths, kinds).arguments
        let binds = argv.indices.filter { argv[$0] == "--bind" }.map { argv[$0 + 1] + " " + argv[$0 + 2] }
        #expect(binds == ["/w/p /w/p", directory + "/.cargo/registry /home/u/.cargo/registry"])
        let mask = try #require(argv.firstIndex(of: "/home/u/.cache/pie/sandbox-caches"))
        #expect(try #require(argv.firstIndex(of: "/home/u/.cargo/registry")) < mask, "the cache bind must come before the masks")
        #expect(directory.hasPrefix("/home/u/.cache/pie/sandbox-caches/") && directory.utf8.count == "/home/u/.cache/pie/sandbox-caches/".utf8.count + 32)
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

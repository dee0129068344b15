import PiePolicy
import Testing

@testable import PieSandbox

/// A fake file system: paths mapped to kinds, directories listing their children.
struct FakeInspector: PathInspector {
    var kinds: [String: FileKind]

    func kind(of path: String) -> FileKind? { kinds[path] }
    func targetKind(of path: String) -> FileKind? { kinds[path] == .symlink ? .regular : kinds[path] }
    func entries(of path: String) -> [DirectoryEntry] {
        kinds.compactMap { candidate, kind in
            guard candidate.hasPrefix(path + "/"), !candidate.dropFirst(path.count + 1).contains("/") else { return nil }
            return DirectoryEntry(name: String(candidate.dropFirst(path.count + 1)), kind: kind)
        }.sorted { $0.name < $1.name }
    }
}

@Suite("BubblewrapPlan") struct BubblewrapPlanTests {
    let paths = PathPolicy(
        projectRoot: "/w/p", readRoots: ["/w/p", "/tmp/ref"], writeRoots: ["/w/p"],
        deny: ["~/.ssh", "**/.env", "**/.env.*"], protected: [".git/hooks", ".git/config", ".pie"], home: "/home/u")

    func plan(_ kinds: [String: FileKind], network: Bool = false) throws -> BubblewrapPlan {
        try BubblewrapPlan(
            bwrap: "/usr/bin/bwrap", paths: paths, allowNetwork: network, tmpfsBytes: 1024, workingDirectory: "/w/p/src",
            environment: ["PATH": "/usr/bin:/bin", "HOME": "/home/u"], seccompDescriptor: 3,
            command: ["/bin/bash", "-c", "make test"], inspector: FakeInspector(kinds: kinds))
    }

    @Test func goldenArgv() throws {
        let plan = try plan([
            "/w/p": .directory, "/tmp/ref": .directory, "/w/p/.git": .directory, "/w/p/.git/hooks": .directory,
            "/home/u/.ssh": .directory, "/w/p/.env": .regular, "/w/p/pkg": .directory, "/w/p/pkg/.env.local": .regular,
            "/w/p/src": .directory,
        ])
        #expect(plan.arguments == [
            "/usr/bin/bwrap", "--new-session", "--die-with-parent", "--unshare-all", "--cap-drop", "ALL",
            "--ro-bind", "/", "/", "--dev", "/dev", "--size", "1024", "--tmpfs", "/dev/shm", "--proc", "/proc",
            "--size", "1024", "--tmpfs", "/tmp",
            "--ro-bind", "/tmp/ref", "/tmp/ref",
            "--bind", "/w/p", "/w/p",
            "--bind", "/w/p/.git", "/w/p/.git",
            "--ro-bind", "/w/p/.git/hooks", "/w/p/.git/hooks",
            "--ro-bind", "/dev/null", "/w/p/.git/config",
            "--ro-bind", "/dev/null", "/w/p/.pie",
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
            "--tmpfs", "/home/u/.ssh", "--remount-ro", "/home/u/.ssh",
            "--ro-bind", "/dev/null", "/w/p/.env",
            "--ro-bind", "/dev/null", "/w/p/pkg/.env.local",
            "--chdir", "/w/p/src", "--clearenv", "--setenv", "HOME", "/home/u", "--setenv", "PATH", "/usr/bin:/bin",
            "--seccomp", "3", "--", "/bin/bash", "-c", "make test",
        ])
        let gitMasks = [
            "config.worktree", "info", "modules", "worktrees", "branches", "remotes", "rebase-merge", "rebase-apply",
            "sequencer", "rr-cache",
        ]
        #expect(plan.placeholders == ["/w/p/.git/config", "/w/p/.pie"] + gitMasks.map { "/w/p/.git/" + $0 })
        #expect(plan.watched == ["/w/p/.git/commondir", "/w/p/.git/gitdir"])
    }

    /// Every git directory's entries outside `GitLayout`'s allowlist are bound read-only: nested
    /// repositories the walk finds, `modules/*`, `worktrees/*`, and a nested `.git` file itself;
    /// what git writes to commit stays writable.
    @Test func gitDirectoriesAreClosedWhereverTheyAre() throws {
        let plan = try plan([
            "/w/p": .directory, "/w/p/.git": .directory, "/w/p/.git/config": .regular, "/w/p/.git/HEAD": .regular,
            "/w/p/.git/objects": .directory, "/w/p/.git/objects/info": .directory, "/w/p/.git/refs": .directory,
            "/w/p/.git/index": .regular, "/w/p/.git/modules": .directory, "/w/p/.git/modules/a": .directory,
            "/w/p/.git/modules/a/b": .directory, "/w/p/.git/modules/a/b/HEAD": .regular,
            "/w/p/.git/modules/a/b/objects": .directory, "/w/p/.git/modules/a/b/refs": .directory,
            "/w/p/.git/modules/a/b/config": .regular, "/w/p/.git/worktrees": .directory,
            "/w/p/.git/worktrees/w": .directory, "/w/p/.git/worktrees/w/commondir": .regular,
            "/w/p/.git/worktrees/w/gitdir": .regular, "/w/p/.git/lfs": .directory, "/w/p/sub": .directory,
            "/w/p/sub/.git": .directory, "/w/p/sub/.git/config": .regular, "/w/p/wt": .directory,
            "/w/p/wt/.git": .regular,
        ])
        let readOnly = Set(plan.mounts.compactMap { mount -> String? in
            if case .readOnlyBind(let source, let destination) = mount, source == destination { return destination }
            return nil
        })
        for path in [
            ".git/config", ".git/objects/info", ".git/lfs", ".git/modules/a/b/config", ".git/worktrees/w/commondir",
            ".git/worktrees/w/gitdir", "sub/.git/config", "wt/.git",
        ] {
            #expect(readOnly.contains("/w/p/" + path), "\(path) is writable")
        }
        for path in [".git/HEAD", ".git/index", ".git/objects", ".git/refs", ".git/modules/a/b/objects"] {
            #expect(!readOnly.contains("/w/p/" + path), "\(path) is read-only")
        }
        #expect(plan.placeholders.contains("/w/p/sub/.git/hooks"))
        #expect(plan.placeholders.contains("/w/p/.git/modules/a/b/hooks"))
        #expect(plan.watched.contains("/w/p/sub/.git/commondir"))
        #expect(plan.knownGitEntries == [PathKey("/w/p/sub/.git"), PathKey("/w/p/wt/.git")])
        #expect(plan.mounts.contains(.bind("/w/p/.git/modules/a/b")), "a submodule's git directory is pinned")
    }

    @Test func missingGitIsMaskedAtItsFirstComponent() throws {
        let plan = try plan(["/w/p": .directory])
        #expect(plan.mounts.contains(.readOnlyBind(source: "/dev/null", destination: "/w/p/.git")))
        #expect(plan.placeholders == ["/w/p/.git", "/w/p/.pie"])
    }

    /// Another run's placeholder (an empty `.pie` bwrap made) is masked as a placeholder again, not
    /// bound: bound, it would vanish when that run ends, under this run's bubblewrap.
    @Test func anotherRunsPlaceholderIsMaskedAsMissing() throws {
        let kinds: [String: FileKind] = ["/w/p": .directory, "/w/p/.git": .directory, "/w/p/.git/hooks": .directory, "/w/p/.pie": .regular]
        let seen = try plan(kinds)
        #expect(seen.mounts.contains(.readOnlyBind(source: "/w/p/.pie", destination: "/w/p/.pie")))
        #expect(!seen.placeholders.contains("/w/p/.pie"))
        let plan = try BubblewrapPlan(
            bwrap: "/usr/bin/bwrap", paths: paths, allowNetwork: false, tmpfsBytes: 1024, workingDirectory: "/w/p/src",
            environment: ["PATH": "/usr/bin:/bin", "HOME": "/home/u"], seccompDescriptor: 3,
            command: ["/bin/bash", "-c", "make test"],
            inspector: PlaceholderAwareInspector(base: FakeInspector(kinds: kinds), inUse: [PathKey("/w/p/.pie")]))
        #expect(plan.mounts.contains(.readOnlyBind(source: "/dev/null", destination: "/w/p/.pie")))
        #expect(plan.placeholders.contains("/w/p/.pie"))
    }

    @Test func worktreeGitFileIsProtectedItself() throws {
        let plan = try plan(["/w/p": .directory, "/w/p/.git": .regular])
        let gitMounts = plan.mounts.filter {
            if case .readOnlyBind(_, let destination) = $0 { return destination.hasPrefix("/w/p/.git") }
            return false
        }
        #expect(gitMounts == [.readOnlyBind(source: "/w/p/.git", destination: "/w/p/.git")])
        #expect(plan.placeholders == ["/w/p/.pie"])
    }

    /// A warm sandbox gives each command a fresh /tmp and /dev/shm only where they are the plan's
    /// own tmpfs; a root bound onto /tmp (or above it) is the host's and must stay in place.
    @Test func privateTmpfsAreTheOnesNoRootCovers() throws {
        let plain = try plan(["/w/p": .directory, "/tmp/ref": .directory])
        #expect(plain.isPrivateTmpfs("/tmp") && plain.isPrivateTmpfs("/dev/shm"))
        #expect(!plain.isPrivateTmpfs("/dev") && !plain.isPrivateTmpfs("/w/p"))

        func planWithWriteRoot(_ root: String, deny: [String] = []) throws -> BubblewrapPlan {
            try BubblewrapPlan(
                bwrap: "/usr/bin/bwrap",
                paths: PathPolicy(
                    projectRoot: root, readRoots: [root], writeRoots: [root], deny: deny, protected: [], home: "/home/u"),
                allowNetwork: false, tmpfsBytes: 1024, workingDirectory: root, environment: [:], seccompDescriptor: 3,
                command: ["/bin/true"], inspector: FakeInspector(kinds: Dictionary(uniqueKeysWithValues: Set([root, "/tmp"]).map { ($0, .directory) })))
        }
        let inTmp = try planWithWriteRoot("/tmp")
        #expect(!inTmp.isPrivateTmpfs("/tmp") && inTmp.isPrivateTmpfs("/dev/shm"))
        let everything = try planWithWriteRoot("/")
        #expect(!everything.isPrivateTmpfs("/tmp") && !everything.isPrivateTmpfs("/dev/shm"))
        let deniedTmp = try planWithWriteRoot("/w/q", deny: ["/tmp"])
        #expect(!deniedTmp.isPrivateTmpfs("/tmp"))
    }

    @Test func networkSharesOnlyWhenAllowed() throws {
        #expect(try plan(["/w/p": .directory], network: true).arguments.contains("--share-net"))
        #expect(!(try plan(["/w/p": .directory]).arguments.contains("--share-net")))
    }

    @Test func symlinkOnAProtectedPathFailsClosed() {
        #expect(throws: SandboxSetupError.self) {
            try plan(["/w/p": .directory, "/w/p/.git": .symlink])
        }
    }

    @Test func seccompFilterCompilesAndCoversTheDocumentedSyscalls() throws {
        let filter = SeccompFilter(allowInternet: false)
        let program = try filter.compile()
        #expect(program.count % 8 == 0 && program.count > 100)
        let denied = Set(filter.rules.map(\.syscall))
        for name in ["socket", "io_uring_setup", "ptrace", "process_vm_readv", "mount", "unshare", "setns", "clone3",
                     "clone", "keyctl", "bpf", "perf_event_open", "userfaultfd", "ioctl"] {
            #expect(denied.contains(name), "\(name)")
        }
        #expect(filter.rules.first { $0.syscall == "socket" }?.conditions.isEmpty == true)
        #expect(SeccompFilter(allowInternet: true).rules.filter { $0.syscall == "socket" }.allSatisfy { !$0.conditions.isEmpty })
    }

    @Test func launcherTemplateSubstitutesWithinWords() {
        let argv = LauncherTemplate("firejail --private={cwd} -- {shell} -c {command}")
            .arguments(cwd: "/w/p", shell: "/bin/bash", command: "echo 'a b'")
        #expect(argv == ["firejail", "--private=/w/p", "--", "/bin/bash", "-c", "echo 'a b'"])
    }
}

import Glibc
import PiePolicy
import Testing

@testable import PieSandbox

/// `SystemFiles.copied`: the allowlist's `/etc` files reach a cold sandbox as copies on its
/// read-only root (`--file`), not as one bind mount each; everything else is the bound plan's.
@Suite("BubblewrapPlan: /etc files copied")
struct BubblewrapCopyPlanTests {
    static let host = FakeHostInspector(
        kinds: [
            "/usr": .directory, "/etc/passwd": .regular, "/etc/group": .regular, "/etc/shadow": .regular,
            "/etc/ssl/certs": .directory, "/w/p": .directory, "/home/u/.ssh": .directory,
        ],
        links: ["/bin": "usr/bin"])

    func plan(_ systemFiles: BubblewrapPlan.SystemFiles, seccomp: Int32? = 3) throws -> BubblewrapPlan {
        var paths = PathPolicy(
            projectRoot: "/w/p", readRoots: ["/w/p"], writeRoots: [], deny: ["~/.ssh"], protected: [], home: "/home/u")
        paths.sandboxReads = .allowlist
        return try BubblewrapPlan(
            bwrap: "/usr/bin/bwrap", paths: paths, allowNetwork: false, tmpfsBytes: 1024, workingDirectory: "/w/p",
            environment: [:], seccompDescriptor: seccomp, command: ["/usr/bin/python3", "server.py"],
            inspector: Self.host, systemFiles: systemFiles)
    }

    /// Regular files become `--file` with the descriptors after the seccomp program's; the
    /// directory (`ssl/certs`) stays bound, `/etc/shadow` stays out, and the root is still
    /// remounted read-only last.
    @Test func goldenCopiedArgv() throws {
        let plan = try plan(.copied)
        #expect(plan.copiedFiles == ["/etc/passwd", "/etc/group"])
        #expect(plan.arguments == [
            "/usr/bin/bwrap", "--new-session", "--die-with-parent", "--unshare-all", "--cap-drop", "ALL",
            "--dev", "/dev", "--size", "1024", "--tmpfs", "/dev/shm", "--proc", "/proc", "--size", "1024", "--tmpfs", "/tmp",
            "--ro-bind", "/usr", "/usr", "--symlink", "usr/bin", "/bin",
            "--file", "4", "/etc/passwd", "--file", "5", "/etc/group",
            "--ro-bind", "/etc/ssl/certs", "/etc/ssl/certs",
            "--size", "1024", "--tmpfs", "/home/u",
            "--ro-bind", "/w/p", "/w/p",
            "--remount-ro", "/home/u", "--remount-ro", "/",
            "--chdir", "/w/p", "--clearenv",
            "--seccomp", "3", "--", "/usr/bin/python3", "server.py",
        ])
        #expect(try self.plan(.copied, seccomp: nil).arguments.contains(["--file", "3", "/etc/passwd"]))
    }

    /// The copied plan differs from the bound one in exactly the copied files' mounts.
    @Test func copiedPlanIsTheBoundPlanButForTheCopies() throws {
        let bound = try plan(.bound)
        let copied = try plan(.copied)
        #expect(bound.copiedFiles.isEmpty)
        #expect(copied.binding(copied.copiedFiles) == bound)
        #expect(copied.mounts.map(\.target) == bound.mounts.map(\.target))
        #expect(!copied.mounts.contains(.readOnlyBind(source: "/etc/shadow", destination: "/etc/shadow")))
    }

    /// A file that could not be opened is bound instead, and the descriptors of the copies after
    /// it move up to stay in order.
    @Test func bindingOneCopyRenumbersTheRest() throws {
        let plan = try plan(.copied).binding(["/etc/passwd"])
        #expect(plan.copiedFiles == ["/etc/group"])
        #expect(plan.arguments.contains(["--ro-bind", "/etc/passwd", "/etc/passwd", "--file", "4", "/etc/group"]))
    }

    /// The warm sandbox's base gets no descriptors for copies: it binds them again.
    @Test func warmBaseBindsTheCopies() throws {
        let base = try plan(.copied).warmBase(initPath: "/usr/libexec/pie-sandbox-init")
        #expect(base.copiedFiles.isEmpty)
        #expect(base.mounts.contains(.readOnlyBind(source: "/etc/passwd", destination: "/etc/passwd")))
        #expect(base == (try plan(.bound)).warmBase(initPath: "/usr/libexec/pie-sandbox-init"))
    }

    /// Real files: a regular file is opened (and pinned: the descriptor reads what pie checked);
    /// a FIFO, a missing file and one above the size limit are bound instead.
    @Test func copiedFilesOpensRegularFilesOnly() throws {
        let directory = try Scratch("pie-copies")
        let regular = directory.file("regular")
        let fifo = directory.file("fifo")
        let large = directory.file("large")
        let missing = directory.file("missing")
        try directory.write("regular", "root:x:0:0\n")
        #expect(mkfifo(fifo, 0o600) == 0)
        try directory.write("large", String(repeating: "x", count: Int(CopiedFiles.sizeLimit) + 1))
        var plan = try plan(.copied)
        plan.mounts = [regular, fifo, large, missing].map { .copy(source: $0, destination: "/etc/" + PathBytes.lastComponent($0)) }

        let copies = CopiedFiles(opening: plan)
        defer { copies.close() }
        #expect(copies.plan.copiedFiles == [regular])
        #expect(copies.descriptors.count == 1)
        #expect(copies.plan.mounts.contains(.readOnlyBind(source: fifo, destination: "/etc/fifo")))
        #expect(copies.plan.mounts.contains(.readOnlyBind(source: large, destination: "/etc/large")))
        #expect(copies.plan.mounts.contains(.readOnlyBind(source: missing, destination: "/etc/missing")))
        #expect(unlink(regular) == 0)
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = read(copies.descriptors[0], &buffer, buffer.count)
        #expect(String(decoding: buffer.prefix(max(count, 0)), as: UTF8.self) == "root:x:0:0\n")
        #expect(fcntl(copies.descriptors[0], F_GETFD) & FD_CLOEXEC != 0)
    }
}

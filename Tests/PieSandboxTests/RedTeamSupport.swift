import Foundation
import PiePolicy
import Testing

@testable import PieSandbox

/// The two ways a sandboxed command starts; every shell attack runs against both.
enum SandboxStart: String, CaseIterable, Sendable, CustomStringConvertible {
    /// A bubblewrap of its own (a plan's first command, or no `pie-sandbox-init`).
    case cold
    /// In a warm sandbox, started by `pie-sandbox-init` in a fresh mount and PID namespace.
    case warm

    var description: String { rawValue }
}

/// A hardened setup for one attack: a project (write root), a directory outside every root holding
/// a secret, and a shell in `.force` mode with strict limits.
struct Fixture {
    let project: Scratch
    let outside: Scratch
    var shell: SandboxedShell

    static let secretText = "TOP-SECRET-HOST-FILE"
    /// One pool for every warm test. Each test has a plan of its own, and a pool that is full
    /// retires its oldest sandbox, possibly between another test's prepare and launch, which then
    /// runs cold: room for every test that can run at once keeps `servedWarm` a fact to assert.
    static let warmSandboxes = WarmSandboxes(initPath: WarmSandboxes.locateInit(), startAfterUses: 1, capacity: 256)

    let start: SandboxStart

    init(start: SandboxStart = .warm, gitRepository: Bool = true, network: Bool = false, timeoutMs: Int = 10_000) throws {
        self.start = start
        project = try Scratch("pie-rt")
        // Outside /tmp on purpose: the sandbox's private /tmp would hide it, and the point is that
        // host files are visible but not writable.
        outside = try Scratch("pie-rt-outside", in: "/var/tmp")
        try outside.write("secret.txt", Self.secretText)
        if gitRepository {
            try project.write(".git/hooks/README", "hooks")
            try project.write(".git/config", "[core]\n")
        }
        shell = SandboxedShell(
            policy: TestPolicy.tool(
                project: project.path, mode: .force, network: network,
                deny: ["**/.env", "**/.env.*", outside.file("denied")], timeoutMs: timeoutMs),
            environment: TestPolicy.environment, limits: TestPolicy.strictLimits)
        shell.warm = start == .warm ? Self.warmSandboxes : nil
    }

    /// Runs an attack; fails the test (not skips) when the sandbox is missing.
    func run(
        _ command: String, timeoutMs: Int = 10_000, exclusive: Bool = false
    ) async throws -> (outcome: ShellOutcome, output: String) {
        try await requireSandbox()
        if start == .warm {
            #expect(Self.warmSandboxes.initPath != nil, "pie-sandbox-init is missing next to the test binary; run `swift build`")
        }
        let result = try await runShell(shell, command, cwd: project.path, timeoutMs: timeoutMs, exclusive: exclusive)
        #expect(result.outcome.sandbox == .bwrap)
        #expect(result.outcome.servedWarm == (start == .warm), "the attack ran \(start == .warm ? "cold" : "warm")")
        return result
    }

    var secretUnchanged: Bool {
        outside.read("secret.txt") == Self.secretText
    }

    func outsideEntries() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: outside.path)) ?? []).sorted()
    }
}

/// Probes one syscall with perl (perl-base ships with every Debian image) and prints `errno=N` or
/// `ok`. Arguments are chosen so an unfiltered call fails harmlessly with a different errno.
/// With `forks`, a 0 result is the child of a successful clone, which just exits.
func perlSyscall(_ number: Int, _ arguments: [String], forks: Bool = false) -> String {
    let list = ([String(number)] + arguments).joined(separator: ", ")
    return "perl -e '$r = syscall(\(list)); \(forks ? "exit 0 if $r == 0; " : "")"
        + "print $r < 0 ? \"errno=\" . ($!+0) : \"ok\"'"
}

func requirePerl() {
    if access("/usr/bin/perl", X_OK) != 0 {
        Issue.record("the red-team suite probes syscalls with perl; install it with `apt-get install perl-base`")
    }
}

/// Syscall numbers of the native architecture (the filter is native-only; others are killed).
enum Syscall {
    #if arch(x86_64)
    static let ioctl = 16, ptrace = 101, processVMReadv = 310, unshare = 272, setns = 308, mount = 165
    static let pivotRoot = 155, chroot = 161, ioUringSetup = 425, keyctl = 250, bpf = 321, perfEventOpen = 298
    static let userfaultfd = 323, clone = 56, clone3 = 435, fsopen = 430, openTree = 428, kcmp = 312
    static let socket = 41, socketpair = 53, addKey = 248
    #elseif arch(arm64)
    static let ioctl = 29, ptrace = 117, processVMReadv = 270, unshare = 97, setns = 268, mount = 40
    static let pivotRoot = 41, chroot = 51, ioUringSetup = 425, keyctl = 219, bpf = 280, perfEventOpen = 241
    static let userfaultfd = 282, clone = 220, clone3 = 435, fsopen = 430, openTree = 428, kcmp = 272
    static let socket = 198, socketpair = 199, addKey = 217
    #endif
}

/// A loopback TCP or UDP listener that records whether anything reached it (a completed TCP
/// handshake waits in the backlog; a datagram waits in the receive queue).
final class LoopbackListener {
    let fd: Int32
    let port: UInt16
    let tcp: Bool

    init(tcp: Bool) throws {
        self.tcp = tcp
        let socketFD = socket(
            AF_INET, Int32(tcp ? SOCK_STREAM.rawValue : SOCK_DGRAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                bind(socketFD, raw, length) == 0 && getsockname(socketFD, raw, &length) == 0
            }
        }
        guard socketFD >= 0, bound, !tcp || listen(socketFD, 16) == 0 else { throw ScratchError.cannotCreate }
        fd = socketFD
        port = UInt16(bigEndian: address.sin_port)
    }

    deinit { close(fd) }

    var reached: Bool {
        if tcp {
            let client = accept(fd, nil, nil)
            if client >= 0 { close(client) }
            return client >= 0
        }
        var byte: UInt8 = 0
        return recv(fd, &byte, 1, Int32(MSG_DONTWAIT)) >= 0
    }
}

/// A Unix stream socket listening at `path` (outside every root), like docker.sock or ssh-agent.
final class UnixListener {
    let fd: Int32
    let path: String

    init(path: String) throws {
        self.path = path
        let socketFD = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in path.utf8.prefix(raw.count - 1).enumerated() { raw[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socketFD, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) == 0
            }
        }
        guard socketFD >= 0, bound, listen(socketFD, 16) == 0 else { throw ScratchError.cannotCreate }
        fd = socketFD
    }

    deinit {
        close(fd)
        unlink(path)
    }

    var reached: Bool {
        let client = accept(fd, nil, nil)
        if client >= 0 { close(client) }
        return client >= 0
    }
}

import Foundation
import PiePolicy
import Testing

@testable import PieSandbox

/// Kernel interfaces the seccomp filter removes, probed from inside the hardened sandbox. Each
/// case names the exact errno: EPERM (1), ENOSYS (38) or EAFNOSUPPORT (97).
@Suite("Red team: syscalls") struct RedTeamSyscallTests {
    struct Probe: Sendable, CustomStringConvertible {
        var name: String
        var command: String
        var expected: String
        var description: String { name }
    }

    static let probes: [Probe] = [
        Probe(name: "ptrace(TRACEME)", command: perlSyscall(Syscall.ptrace, ["0", "0", "0", "0"]), expected: "errno=1"),
        Probe(
            name: "process_vm_readv", command: perlSyscall(Syscall.processVMReadv, ["1", "0", "0", "0", "0", "0"]),
            expected: "errno=1"),
        Probe(name: "kcmp", command: perlSyscall(Syscall.kcmp, ["1", "1", "0", "0", "0"]), expected: "errno=1"),
        Probe(name: "unshare(NEWUSER)", command: perlSyscall(Syscall.unshare, ["0x10000000"]), expected: "errno=1"),
        Probe(name: "setns", command: perlSyscall(Syscall.setns, ["-1", "0"]), expected: "errno=1"),
        Probe(
            name: "clone(NEWUSER)", command: perlSyscall(Syscall.clone, ["0x10000011", "0", "0", "0", "0"], forks: true),
            expected: "errno=1"),
        Probe(
            name: "clone(NEWNET)", command: perlSyscall(Syscall.clone, ["0x40000011", "0", "0", "0", "0"], forks: true),
            expected: "errno=1"),
        Probe(name: "clone3 falls back", command: perlSyscall(Syscall.clone3, ["0", "0"]), expected: "errno=38"),
        Probe(name: "mount", command: perlSyscall(Syscall.mount, ["0", "0", "0", "0", "0"]), expected: "errno=1"),
        Probe(name: "pivot_root", command: perlSyscall(Syscall.pivotRoot, ["0", "0"]), expected: "errno=1"),
        Probe(name: "chroot", command: perlSyscall(Syscall.chroot, ["0"]), expected: "errno=1"),
        Probe(name: "fsopen (new mount API)", command: perlSyscall(Syscall.fsopen, ["0", "0"]), expected: "errno=38"),
        Probe(name: "open_tree", command: perlSyscall(Syscall.openTree, ["-1", "0", "0"]), expected: "errno=38"),
        Probe(name: "io_uring_setup", command: perlSyscall(Syscall.ioUringSetup, ["1", "0"]), expected: "errno=1"),
        Probe(name: "keyctl", command: perlSyscall(Syscall.keyctl, ["0", "0", "0", "0", "0"]), expected: "errno=1"),
        Probe(name: "add_key", command: perlSyscall(Syscall.addKey, ["0", "0", "0", "0", "0"]), expected: "errno=1"),
        Probe(name: "bpf", command: perlSyscall(Syscall.bpf, ["0", "0", "0"]), expected: "errno=1"),
        Probe(
            name: "perf_event_open", command: perlSyscall(Syscall.perfEventOpen, ["0", "0", "-1", "-1", "0"]),
            expected: "errno=1"),
        Probe(name: "userfaultfd", command: perlSyscall(Syscall.userfaultfd, ["0"]), expected: "errno=1"),
        Probe(name: "ioctl(TIOCSTI)", command: perlSyscall(Syscall.ioctl, ["0", "0x5412", "0"]), expected: "errno=1"),
        Probe(
            name: "ioctl(TIOCSTI) with high bits set", command: perlSyscall(Syscall.ioctl, ["0", "0x100005412", "0"]),
            expected: "errno=1"),
        Probe(name: "ioctl(TIOCLINUX)", command: perlSyscall(Syscall.ioctl, ["0", "0x541C", "0"]), expected: "errno=1"),
        Probe(name: "socket(AF_UNIX)", command: perlSyscall(Syscall.socket, ["1", "1", "0"]), expected: "errno=97"),
        Probe(name: "socket(AF_INET)", command: perlSyscall(Syscall.socket, ["2", "1", "0"]), expected: "errno=97"),
        Probe(name: "socket(AF_INET6)", command: perlSyscall(Syscall.socket, ["10", "2", "0"]), expected: "errno=97"),
        Probe(name: "socket(AF_NETLINK)", command: perlSyscall(Syscall.socket, ["16", "3", "0"]), expected: "errno=97"),
        Probe(name: "socket(AF_PACKET)", command: perlSyscall(Syscall.socket, ["17", "3", "0"]), expected: "errno=97"),
        Probe(name: "socket(AF_VSOCK)", command: perlSyscall(Syscall.socket, ["40", "1", "0"]), expected: "errno=97"),
        Probe(
            name: "socketpair(AF_INET)", command: perlSyscall(Syscall.socketpair, ["2", "1", "0", "0"]),
            expected: "errno=97"),
    ]

    @Test(arguments: probes, SandboxStart.allCases)
    func deniedInsideTheSandbox(_ probe: Probe, _ start: SandboxStart) async throws {
        requirePerl()
        let fixture = try Fixture(start: start)
        let (outcome, output) = try await fixture.run(probe.command)
        #expect(output == probe.expected, "\(probe.name): \(output) (exit \(outcome.exitCode ?? -1))")
    }

    /// Controls: the same probes on the host give other answers, so the errnos above come from the filter.
    @Test func controlsOnTheHostDiffer() async throws {
        requirePerl()
        let project = try Scratch()
        let host = testShell(project, mode: .off)
        let clone3 = try await runShell(host, perlSyscall(Syscall.clone3, ["0", "0"]), cwd: project.path)
        #expect(clone3.output != "errno=38" && clone3.output.hasPrefix("errno="))
        let unix = try await runShell(host, perlSyscall(Syscall.socket, ["1", "1", "0"]), cwd: project.path)
        #expect(unix.output == "ok")
    }

    /// socketpair(AF_UNIX) stays usable: build tools use it, and it reaches nothing outside.
    @Test(arguments: SandboxStart.allCases) func unixSocketpairStillWorks(_ start: SandboxStart) async throws {
        requirePerl()
        let fixture = try Fixture(start: start)
        let (_, output) = try await fixture.run(
            "perl -e 'socketpair(my $a, my $b, 1, 1, 0) or die \"failed: $!\"; print \"paired\"'")
        #expect(output == "paired")
    }
}

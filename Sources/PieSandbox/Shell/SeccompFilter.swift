import CSeccomp
import Glibc
import Synchronization
import PieSystem

/// The seccomp program bubblewrap installs (`--seccomp 3`) right before it executes the command.
///
/// A deny list on top of "allow": it removes the kernel interfaces a namespace sandbox does not
/// contain (host Unix sockets, io_uring, ptrace, nested namespaces, keyrings, eBPF, terminal
/// injection). Every rule is data in `rules`, so docs and tests read the same table the compiler does.
/// A foreign architecture (e.g. x32 or i386 syscalls on x86_64) kills the process.
public struct SeccompFilter: Sendable, Equatable {
    /// One comparison on a syscall argument.
    public struct Condition: Sendable, Equatable {
        public enum Operator: Sendable, Equatable {
            case equal, lessThan, greaterThan
            /// `(arg & mask) == value`
            case maskedEqual(mask: UInt64)
        }

        public var argument: UInt32
        public var op: Operator
        public var value: UInt64
    }

    /// Deny `syscall` with `errno` when every condition holds (or always, without conditions).
    public struct Rule: Sendable, Equatable {
        public var syscall: String
        public var errno: Int32
        public var conditions: [Condition]
    }

    /// Whether AF_INET/AF_INET6 sockets are allowed (the policy's `sandboxNetwork`).
    public var allowInternet: Bool

    public init(allowInternet: Bool) {
        self.allowInternet = allowInternet
    }

    public var rules: [Rule] {
        var rules: [Rule] = []
        func deny(_ names: [String], _ code: Int32, _ conditions: [Condition] = []) {
            rules += names.map { Rule(syscall: $0, errno: code, conditions: conditions) }
        }
        let domain: UInt32 = 0
        if allowInternet {
            // Everything but AF_INET (2) and AF_INET6 (10); three ranges because libseccomp ANDs the
            // conditions of one rule. Upper garbage bits of the int argument land in "> 10".
            deny(["socket"], EAFNOSUPPORT, [Condition(argument: domain, op: .lessThan, value: UInt64(AF_INET))])
            deny(["socket"], EAFNOSUPPORT, [Condition(argument: domain, op: .greaterThan, value: UInt64(AF_INET6))])
            for family in (UInt64(AF_INET) + 1)..<UInt64(AF_INET6) {
                deny(["socket"], EAFNOSUPPORT, [Condition(argument: domain, op: .equal, value: family)])
            }
        } else {
            // No sockets at all: AF_UNIX too, because host sockets (docker, ssh-agent, D-Bus) stay
            // reachable by path even in a fresh network namespace.
            deny(["socket"], EAFNOSUPPORT)
        }
        // socketpair cannot reach anything outside the sandbox; only AF_UNIX pairs are allowed.
        deny(["socketpair"], EAFNOSUPPORT, [Condition(argument: domain, op: .lessThan, value: UInt64(AF_UNIX))])
        deny(["socketpair"], EAFNOSUPPORT, [Condition(argument: domain, op: .greaterThan, value: UInt64(AF_UNIX))])

        deny(["io_uring_setup", "io_uring_enter", "io_uring_register"], EPERM)
        deny(["ptrace", "process_vm_readv", "process_vm_writev", "kcmp"], EPERM)
        deny(["mount", "umount", "umount2", "pivot_root", "chroot"], EPERM)
        deny(["open_tree", "move_mount", "fsopen", "fsconfig", "fsmount", "fspick", "mount_setattr"], ENOSYS)
        deny(["unshare", "setns"], EPERM)
        // clone3 passes its flags in memory seccomp cannot read; ENOSYS makes libc fall back to clone.
        deny(["clone3"], ENOSYS)
        for flag in Self.namespaceCloneFlags {
            deny(["clone"], EPERM, [Condition(argument: 0, op: .maskedEqual(mask: flag), value: flag)])
        }
        deny(["keyctl", "add_key", "request_key"], EPERM)
        deny(["bpf", "perf_event_open", "userfaultfd"], EPERM)
        // The request is an unsigned int; compare only its low 32 bits.
        for request in [Self.tiocsti, Self.tioclinux] {
            deny(["ioctl"], EPERM, [Condition(argument: 1, op: .maskedEqual(mask: 0xFFFF_FFFF), value: request)])
        }
        return rules
    }

    /// CLONE_NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET.
    static let namespaceCloneFlags: [UInt64] = [
        0x0002_0000, 0x0200_0000, 0x0400_0000, 0x0800_0000, 0x1000_0000, 0x2000_0000, 0x4000_0000,
    ]
    static let tiocsti: UInt64 = 0x5412
    static let tioclinux: UInt64 = 0x541C

    /// Compiles the rules to a classic BPF program for the native architecture.
    public func compile() throws(SandboxSetupError) -> [UInt8] {
        guard let context = seccomp_init(cseccomp_act_allow()) else {
            throw SandboxSetupError("libseccomp could not create a filter context")
        }
        defer { seccomp_release(context) }
        guard seccomp_attr_set(context, SCMP_FLTATR_ACT_BADARCH, cseccomp_act_kill_process()) == 0 else {
            throw SandboxSetupError("libseccomp refused to kill foreign-architecture syscalls")
        }
        for rule in rules {
            let number = seccomp_syscall_resolve_name(rule.syscall)
            // A syscall this architecture does not have cannot be called; nothing to deny.
            if number == __NR_SCMP_ERROR { continue }
            var comparisons = rule.conditions.map { condition -> scmp_arg_cmp in
                switch condition.op {
                case .equal: cseccomp_arg(condition.argument, SCMP_CMP_EQ, condition.value, 0)
                case .lessThan: cseccomp_arg(condition.argument, SCMP_CMP_LT, condition.value, 0)
                case .greaterThan: cseccomp_arg(condition.argument, SCMP_CMP_GT, condition.value, 0)
                case .maskedEqual(let mask):
                    cseccomp_arg(condition.argument, SCMP_CMP_MASKED_EQ, mask, condition.value)
                }
            }
            let added = seccomp_rule_add_array(
                context, cseccomp_act_errno(UInt16(rule.errno)), number, UInt32(comparisons.count), &comparisons)
            guard added == 0 else {
                throw SandboxSetupError(
                    "libseccomp rejected the rule for \(rule.syscall): \(String(cString: strerror(-added)))")
            }
        }
        return try export(context)
    }

    /// Exports through a pipe and reads it back (libseccomp 2.5 can only export to a descriptor).
    /// The program is a few hundred bytes, far below the pipe's capacity, so the export cannot block.
    private func export(_ context: scmp_filter_ctx) throws(SandboxSetupError) -> [UInt8] {
        guard let pipe = Descriptor.pipe() else { throw SandboxSetupError("cannot create a pipe for the filter") }
        defer { FileIO.close(pipe.read) }
        let exported = seccomp_export_bpf(context, pipe.write)
        FileIO.close(pipe.write)
        guard exported == 0 else {
            throw SandboxSetupError("libseccomp could not export the filter: \(String(cString: strerror(-exported)))")
        }
        var program: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(pipe.read, &chunk, chunk.count)
            if count > 0 {
                program += chunk[0..<count]
            } else if count == 0 || errno != EINTR {
                break
            }
        }
        guard !program.isEmpty, program.count % 8 == 0 else {
            throw SandboxSetupError("libseccomp exported a malformed filter (\(program.count) bytes)")
        }
        return program
    }
}

/// The sandbox could not be prepared (a library or kernel facility failed), in words that say what.
public struct SandboxSetupError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

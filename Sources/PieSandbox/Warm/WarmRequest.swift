import CPieSys

/// One command for `pie-sandbox-init`, encoded in the wire format `CPieSysInit.h` describes.
///
/// A plain value, so `SandboxedShell` can assemble it without side effects and tests can check the
/// bytes the init parses.
struct WarmRequest: Sendable, Equatable {
    /// The argv, `arguments[0]` an absolute path (no `PATH` search happens inside).
    var arguments: [String]
    /// The complete environment of the command.
    var environment: [String: String]
    var workingDirectory: String
    /// Placeholders for missing protected paths, masked read-only in the command's mount namespace.
    var masks: [String]
    /// Mounts of the sandbox's plan the child checks are still in place before it runs anything
    /// (see `WarmSandbox.checks`).
    var checks: [String] = []
    /// Private tmpfs of the plan (`/tmp`, `/dev/shm`) that the command gets fresh, so nothing one
    /// command leaves there reaches the next; a path a root is bound over is left as it is.
    var freshScratch: Set<Scratch>
    /// The size cap of those fresh tmpfs (the plan's tmpfs size).
    var scratchBytes: UInt64
    /// Resource limits the command's child lowers before `execve`.
    var limits: [Limit]
    /// The seccomp program (`struct sock_filter[]`), installed right before `execve`.
    var filter: [UInt8]
    /// Whether a `cgroup.procs` descriptor travels with the request.
    var joinsCgroup: Bool

    var encoded: [UInt8] {
        var bytes = Array(PIE_INIT_MAGIC.utf8)
        func append(_ value: UInt64) {
            withUnsafeBytes(of: value) { bytes += $0 }
        }
        var flags: UInt32 = joinsCgroup ? PIE_INIT_CGROUP : 0
        if freshScratch.contains(.tmp) { flags |= PIE_INIT_FRESH_TMP }
        if freshScratch.contains(.shm) { flags |= PIE_INIT_FRESH_SHM }
        append(UInt64(flags))
        append(scratchBytes)
        append(UInt64(limits.count))
        for limit in limits {
            append(UInt64(limit.resource))
            append(limit.value)
        }
        append(UInt64(filter.count))
        bytes += filter
        let environment = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        append(UInt64(arguments.count))
        append(UInt64(environment.count))
        append(UInt64(masks.count))
        append(UInt64(checks.count))
        for string in [workingDirectory] + arguments + environment + masks + checks {
            bytes += string.utf8
            bytes.append(0)
        }
        return bytes
    }

    /// A private tmpfs of the plan that each command can get anew.
    enum Scratch: String, Sendable, CaseIterable {
        case tmp = "/tmp"
        case shm = "/dev/shm"
    }

    /// A `CPIE_LIMIT_*` resource and the value to lower it to.
    struct Limit: Sendable, Equatable {
        var resource: Int32
        var value: UInt64
    }
}

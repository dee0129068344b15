import Synchronization

/// The compiled seccomp programs of one process, compiled once per network setting: the rules are
/// constant, and compiling costs about as much as the rest of pie's own work per command.
public final class SeccompPrograms: Sendable {
    private let compiled = Mutex<[Bool: [UInt8]]>([:])

    public init() {}

    /// The program for `SeccompFilter(allowInternet:)`, compiled on first use.
    public func program(allowInternet: Bool) throws(SandboxSetupError) -> [UInt8] {
        if let known = compiled.withLock({ $0[allowInternet] }) { return known }
        let program = try SeccompFilter(allowInternet: allowInternet).compile()
        compiled.withLock { $0[allowInternet] = program }
        return program
    }
}

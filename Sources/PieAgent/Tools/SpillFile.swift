#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The file holding the full output of a command whose result was truncated, named as pi names
/// it (`pi-bash-<16 hex>.log`) so the notice `Full output: <path>` reads the same.
///
/// This is host infrastructure, not a tool file access: it lives in the runner's spill directory
/// and is created exclusively with mode 0600 so nothing else can pre-create or read it.
final class SpillFile {
    let path: String
    private let descriptor: Int32

    init?(directory: String) {
        let name = "pi-bash-" + Self.randomHex() + ".log"
        let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return nil }
        self.path = path
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }

    func append(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return }
            offset += written
        }
    }

    private static func randomHex() -> String {
        let hex = String(UInt64.random(in: .min ... .max), radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

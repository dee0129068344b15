import Glibc

/// The process that holds a lease: host name, process id and the process's start time (clock
/// ticks since boot, from /proc), so a reused pid is not mistaken for the holder.
public struct LeaseOwner: Sendable, Hashable, CustomStringConvertible {
    public let host: String
    public let pid: Int32
    public let startTicks: UInt64

    public init(host: String, pid: Int32, startTicks: UInt64) {
        (self.host, self.pid, self.startTicks) = (host, pid, startTicks)
    }

    /// This process.
    public static func current() -> LeaseOwner {
        let pid = getpid()
        return LeaseOwner(host: hostName(), pid: pid, startTicks: startTicks(of: pid) ?? 0)
    }

    /// `host/pid/start`, as stored in `leases.owner`.
    public var description: String { "\(host)/\(pid)/\(startTicks)" }

    init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3, let pid = Int32(parts[1]), let start = UInt64(parts[2]) else { return nil }
        self.init(host: String(parts[0]), pid: pid, startTicks: start)
    }

    public var isOnThisHost: Bool { host == Self.hostName() }

    /// False only when the owner certainly stopped: it ran on this host and its process is gone
    /// (or the pid now belongs to a process started at another time). On another host nothing is
    /// known, and the lease's expiry decides.
    public func isCertainlyGone() -> Bool {
        guard host == Self.hostName() else { return false }
        guard let ticks = Self.startTicks(of: pid) else { return true }
        return ticks != startTicks
    }

    private static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.replacing("/", with: "_")
    }

    /// Field 22 of /proc/PID/stat; nil when the process does not exist.
    static func startTicks(of pid: Int32) -> UInt64? {
        let fd = open("/proc/\(pid)/stat", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 1024)
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard count > 0 else { return nil }
        // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
        let text = buffer[0..<count]
        guard let close = text.lastIndex(of: UInt8(ascii: ")")) else { return nil }
        let fields = text[(close + 1)...].split(separator: UInt8(ascii: " "))
        // After ')' come fields 3, 4, …: field 22 is the 20th.
        guard fields.count >= 20 else { return nil }
        return UInt64(String(decoding: fields[19], as: UTF8.self))
    }
}

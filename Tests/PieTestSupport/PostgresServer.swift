import Glibc

/// A throwaway PostgreSQL server for tests: Debian's own binaries (`postgresql`, installed by
/// scripts/install-deps.sh) with a fresh cluster in a temporary directory, listening on a free
/// loopback port with its socket in that directory, trust authentication on loopback only.
/// PostgreSQL refuses to run as root, and the tests run as root: `initdb` and `pg_ctl` run as the
/// `postgres` system user, which owns the directory. `remove()` stops it and deletes everything.
public final class PostgresServer: Sendable {
    public let directory: String
    public let port: Int
    public let binaries: String

    /// What went wrong starting or stopping the server; names the step and what to do.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// `postgres://postgres@127.0.0.1:PORT/postgres`.
    public var url: String { "postgres://postgres@127.0.0.1:\(port)/postgres" }

    /// Creates and starts the cluster. `durable: false` turns fsync off (tests); benchmarks keep it.
    public init(durable: Bool = false) throws {
        binaries = try Self.findBinaries()
        var template = Array("/tmp/pie-pg-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }
        guard let made else { throw Failure(description: "cannot create a temporary directory for PostgreSQL") }
        directory = String(cString: made)
        guard let account = getpwnam("postgres") else {
            throw Failure(description: "there is no `postgres` system user; run scripts/install-deps.sh (it installs postgresql)")
        }
        guard chown(directory, account.pointee.pw_uid, account.pointee.pw_gid) == 0 else {
            throw Failure(description: "cannot give \(directory) to the postgres user: \(String(cString: strerror(errno)))")
        }
        port = try Self.freePort()
        try runAsPostgres([
            binaries + "/initdb", "-D", directory + "/data", "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync",
        ], step: "initdb")
        let settings = durable ? "" : "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
        let configuration = """
            listen_addresses = '127.0.0.1'
            port = \(port)
            unix_socket_directories = '\(directory)'
            max_connections = 200
            \(settings)
            """
        let appended = appendFile(directory + "/data/postgresql.conf", configuration)
        guard appended else { throw Failure(description: "cannot write \(directory)/data/postgresql.conf") }
        try start()
    }

    /// `init` off the cooperative pool (`initdb` and `pg_ctl start` take seconds): what async
    /// tests call.
    public static func started(durable: Bool = false) async throws -> PostgresServer {
        try await offCooperativePool { try PostgresServer(durable: durable) }
    }

    /// `start` off the cooperative pool.
    public func startWaiting() async throws {
        try await offCooperativePool { try self.start() }
    }

    /// `stop` off the cooperative pool.
    public func stopWaiting() async throws {
        try await offCooperativePool { try self.stop() }
    }

    /// Starts the server and waits until it accepts connections.
    public func start() throws {
        try runAsPostgres(
            [binaries + "/pg_ctl", "-D", directory + "/data", "-l", directory + "/server.log", "-w", "-t", "60", "start"],
            step: "pg_ctl start")
    }

    /// Stops the server (`fast`: clients are disconnected, the shutdown is clean).
    public func stop() throws {
        try runAsPostgres([binaries + "/pg_ctl", "-D", directory + "/data", "-m", "fast", "-w", "-t", "60", "stop"], step: "pg_ctl stop")
    }

    /// Stops the server if it runs and deletes its directory.
    public func remove() {
        _ = try? HostProcess.runBlocking(
            ["/usr/sbin/runuser", "-u", "postgres", "--", binaries + "/pg_ctl", "-D", directory + "/data", "-m", "immediate", "-w", "stop"])
        _ = try? HostProcess.runBlocking(["/bin/rm", "-rf", directory])
    }

    /// The newest `/usr/lib/postgresql/N/bin` that has `initdb` and `pg_ctl`.
    static func findBinaries() throws -> String {
        let root = "/usr/lib/postgresql"
        var versions: [Int] = []
        if let dir = opendir(root) {
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                if let version = Int(name) { versions.append(version) }
            }
            closedir(dir)
        }
        for version in versions.sorted(by: >) {
            let bin = "\(root)/\(version)/bin"
            if access(bin + "/initdb", X_OK) == 0, access(bin + "/pg_ctl", X_OK) == 0 { return bin }
        }
        throw Failure(
            description: "PostgreSQL's server binaries (initdb, pg_ctl under /usr/lib/postgresql/N/bin) are missing; "
                + "run scripts/install-deps.sh, which installs Debian's postgresql")
    }

    private func runAsPostgres(_ arguments: [String], step: String) throws {
        let result = try HostProcess.runBlocking(
            ["/usr/sbin/runuser", "-u", "postgres", "--"] + arguments, cwd: directory, mergeStandardError: true)
        guard result.status == 0 else {
            throw Failure(description: "\(step) failed (status \(result.status)): \(result.stdoutText)")
        }
    }

    private func appendFile(_ path: String, _ text: String) -> Bool {
        let fd = open(path, O_WRONLY | O_APPEND)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) } == bytes.count
    }

    /// A port nothing listens on now: bound to 127.0.0.1:0, read back, released.
    public static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw Failure(description: "cannot bind a loopback port") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

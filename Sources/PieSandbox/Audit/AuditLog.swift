import Glibc
import PiePolicy
import PieJSON
import PieSystem

/// Appends hash-chained records to a JSONL audit log that several pie processes may share.
///
/// Each append opens the file with `O_APPEND`, takes an exclusive `flock`, reads the last line's
/// hash and sequence number, writes one complete line with a single `write`, fsyncs (unless
/// `durability` says otherwise) and unlocks. Holding the lock across "read tail, append" is what
/// keeps the chain intact with concurrent writers. Every string field is redacted and the free-text
/// fields are capped before hashing, so what is hashed is exactly what is stored.
public struct AuditLog: Sendable {
    public enum Durability: Sendable, Equatable {
        /// fsync after every record: a record that was returned survives a crash (default).
        case fsyncEachRecord
        /// Leave flushing to the kernel; for benchmarks and throwaway logs.
        case noSync
    }

    public let path: String
    public var redactor: SecretRedactor
    public var durability: Durability
    /// Longest `args` and `output` values kept, in bytes; longer ones are cut with a marker.
    public var maxFieldBytes: Int

    public init(
        path: String, redactor: SecretRedactor = SecretRedactor(), durability: Durability = .fsyncEachRecord,
        maxFieldBytes: Int = 16 * 1024
    ) {
        self.path = path
        self.redactor = redactor
        self.durability = durability
        self.maxFieldBytes = maxFieldBytes
    }

    /// `--tool-audit-log` default: `$PIE_DIR/audit/<YYYY-MM-DD>.jsonl`, `PIE_DIR` defaulting to `~/.pie`.
    public static func defaultPath(environment: [String: String], nowSeconds: Int = AuditClock.now().seconds)
        -> String
    {
        let base = environment["PIE_DIR"] ?? ((environment["HOME"] ?? "/") + "/.pie")
        return base + "/audit/" + AuditClock.day(seconds: nowSeconds) + ".jsonl"
    }

    /// Appends `record` (sequence, time, previous hash and hash are filled in) and returns it as stored.
    @discardableResult
    public func append(_ record: AuditRecord) throws(AuditError) -> AuditRecord {
        var record = sanitized(record)
        try createParent()
        let fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw AuditError.io(path: path, action: "open", errno: errno) }
        defer { FileIO.close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            if errno != EINTR { throw AuditError.io(path: path, action: "lock", errno: errno) }
        }
        defer { flock(fd, LOCK_UN) }

        let tail = try lastLine(fd)
        var prefix = ""
        if let tail {
            if !tail.terminated { prefix = "\n" }
            if let parsed = (try? JSONParser.parseLine(tail.text)).flatMap(AuditRecord.init(json:)) {
                record.previousHash = parsed.hash
                record.sequence = parsed.sequence + 1
            } else {
                record.previousHash = try AuditError.hashing { () throws(CryptoLibraryError) in try SHA256.hex(tail.text) }
                record.sequence = 1
            }
        } else {
            record.previousHash = AuditRecord.genesisHash
            record.sequence = 1
        }
        if record.time.isEmpty {
            let now = AuditClock.now()
            record.time = AuditClock.format(seconds: now.seconds, milliseconds: now.milliseconds)
        }
        record.hash = try AuditError.hashing { () throws(CryptoLibraryError) in try SHA256.hex(record.encodedBody) }
        if let code = FileIO.writeAll(fd, Array((prefix + record.encodedLine + "\n").utf8)) {
            throw AuditError.io(path: path, action: "append to", errno: code)
        }
        if durability == .fsyncEachRecord, fsync(fd) != 0 {
            throw AuditError.io(path: path, action: "fsync", errno: errno)
        }
        return record
    }

    private func sanitized(_ record: AuditRecord) -> AuditRecord {
        var record = record
        func clean(_ text: String) -> String { redactor.redact(text) }
        record.arguments = cap(clean(record.arguments))
        record.output = record.output.map { cap(clean($0)) }
        record.reason = record.reason.map(clean)
        record.requestedPath = record.requestedPath.map(clean)
        record.resolvedPath = record.resolvedPath.map(clean)
        record.warnings = record.warnings.map(clean)
        record.quarantined = record.quarantined.map { entry in
            var entry = entry
            entry.path = clean(entry.path)
            entry.movedTo = entry.movedTo.map(clean)
            return entry
        }
        if let command = record.hook?.command { record.hook?.command = cap(clean(command)) }
        record.session = clean(record.session)
        record.callID = clean(record.callID)
        record.parentCall = record.parentCall.map(clean)
        return record
    }

    /// Cuts `text` to `maxFieldBytes` on a character boundary and says how much was dropped.
    private func cap(_ text: String) -> String {
        let size = text.utf8.count
        guard size > maxFieldBytes else { return text }
        var kept = ""
        var used = 0
        for character in text {
            used += character.utf8.count
            if used > maxFieldBytes { break }
            kept.append(character)
        }
        return kept + "…[truncated \(size - kept.utf8.count) bytes]"
    }

    private func createParent() throws(AuditError) {
        var directories: [String] = []
        var current = path
        while let parent = PathBytes.parent(current), !PathBytes.equal(parent, "/") {
            current = parent
            directories.append(current)
        }
        for directory in directories.reversed() where mkdir(directory, 0o700) != 0 && errno != EEXIST {
            throw AuditError.io(path: directory, action: "create directory", errno: errno)
        }
    }

    /// The last line of the file and whether it ended with a newline; nil for an empty file.
    private func lastLine(_ fd: Int32) throws(AuditError) -> (text: String, terminated: Bool)? {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw AuditError.io(path: path, action: "inspect", errno: errno) }
        let size = Int(info.st_size)
        guard size > 0 else { return nil }
        var window = min(size, 65536)
        while true {
            var buffer = [UInt8](repeating: 0, count: window)
            let count = pread(fd, &buffer, window, off_t(size - window))
            guard count == window else { throw AuditError.io(path: path, action: "read", errno: errno) }
            let terminated = buffer.last == UInt8(ascii: "\n")
            let content = terminated ? buffer.dropLast() : buffer[...]
            if let newline = content.lastIndex(of: UInt8(ascii: "\n")) {
                return (String(decoding: content[(newline + 1)...], as: UTF8.self), terminated)
            }
            if window == size { return (String(decoding: content, as: UTF8.self), terminated) }
            window = min(size, window * 4)
        }
    }
}

/// An audit log could not be written or read.
public struct AuditError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    static func io(path: String, action: String, errno code: Int32) -> AuditError {
        AuditError("cannot \(action) audit log '\(path)': \(String(cString: strerror(code)))")
    }

    /// The result of `digest`, or the reason libcrypto could not compute it as an audit error.
    static func hashing(_ digest: () throws(CryptoLibraryError) -> String) throws(AuditError) -> String {
        do {
            return try digest()
        } catch {
            throw AuditError("cannot hash audit records: \(error)")
        }
    }

    public var description: String { message }
}

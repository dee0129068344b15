import PieJSON
import PieSystem

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Everything read from one session file.
public struct SessionLoad: Sendable {
    public var header: SessionHeader
    /// Valid entries in file order (a duplicate id keeps its first occurrence).
    public var entries: [SessionEntry]
    /// Damage found while reading; empty for a healthy file.
    public var diagnostics: [SessionDiagnostic]
    /// Bytes read, including any torn tail.
    public var byteCount: Int
}

/// One session JSONL file on disk: creating it, reading it and appending to it.
///
/// Durability: every append is one `write(2)` of complete lines to an `O_APPEND` descriptor under an
/// exclusive `flock`, followed by `fdatasync` (on by default, `syncOnAppend`), so once `append`
/// returns the entry survives a power loss, and a crash mid-write can only leave a torn last line,
/// which `load` reports and the next `append` cuts off.
public struct SessionFile: Sendable, Equatable {
    public let path: String
    public var lockOptions: SessionLockOptions
    /// `fdatasync` after each append; turning it off trades power-loss safety for speed (bulk imports).
    public var syncOnAppend: Bool

    public init(path: String, lockOptions: SessionLockOptions = .init(), syncOnAppend: Bool = true) {
        self.path = path
        self.lockOptions = lockOptions
        self.syncOnAppend = syncOnAppend
    }

    /// Creates the file with its header line (and any initial entries); fails if it already exists.
    public static func create(
        at path: String, header: SessionHeader, entries: [SessionEntry] = [],
        lockOptions: SessionLockOptions = .init(), syncOnAppend: Bool = true
    ) throws(SessionError) -> SessionFile {
        try SessionError.io(FileIO.makeDirectories(Path.parent(of: path)))
        let fd: Int32
        do {
            fd = try SessionError.io(FileIO.openFile(path, O_WRONLY | O_CREAT | O_EXCL, operation: "create"))
        } catch .io(_, _, EEXIST) {
            throw .alreadyExists(path: path)
        }
        defer { close(fd) }
        var bytes = Array(header.line.utf8)
        bytes.append(0x0A)
        for entry in entries {
            bytes.append(contentsOf: entry.line.utf8)
            bytes.append(0x0A)
        }
        try SessionError.io(FileIO.writeAll(fd, bytes, path: path))
        if syncOnAppend {
            guard fdatasync(fd) == 0 else { throw .io(operation: "sync", path: path, errno: errno) }
            FileIO.syncDirectory(Path.parent(of: path))
        }
        return SessionFile(path: path, lockOptions: lockOptions, syncOnAppend: syncOnAppend)
    }

    /// Reads and parses the whole file. Throws only when the file cannot be read or has no header.
    public func load() throws(SessionError) -> SessionLoad {
        try Self.parse(SessionError.io(FileIO.readAll(path)), path: path)
    }

    /// Parses session file contents; see `SessionDiagnostic.Kind` for how damage is reported.
    public static func parse(_ bytes: [UInt8], path: String) throws(SessionError) -> SessionLoad {
        try bytes.withUnsafeBufferPointer { buffer throws(SessionError) in try parse(buffer, path: path) }
    }

    private static func parse(_ buffer: UnsafeBufferPointer<UInt8>, path: String) throws(SessionError) -> SessionLoad {
        var header: SessionHeader?
        var entries: [SessionEntry] = []
        entries.reserveCapacity(buffer.count / 256)
        var seen = Set<String>(minimumCapacity: buffer.count / 256)
        var diagnostics: [SessionDiagnostic] = []
        var lineNumber = 0
        var start = 0
        // Index among the file's JSON objects (header = 0): how pi v1 addressed entries.
        var position = 0
        while start < buffer.count {
            lineNumber += 1
            let end = nextNewline(in: buffer, from: start)
            let terminated = end < buffer.count
            let slice = UnsafeBufferPointer(rebasing: buffer[start..<end])
            defer { start = end + 1 }
            if isBlank(slice) { continue }
            guard header != nil else {
                header = try parseHeader(slice, lineNumber: lineNumber, path: path)
                continue
            }
            let version = header?.version ?? SessionHeader.currentVersion
            let scalars: EntryScalars
            do {
                scalars = try SessionLineScanner.scan(slice)
            } catch {
                if terminated {
                    diagnostics.append(
                        .init(kind: .corruptLine, path: path, line: lineNumber, detail: "skipped invalid JSON (\(error))"))
                } else {
                    diagnostics.append(
                        .init(
                            kind: .tornTail, path: path, line: lineNumber,
                            detail: "ignored an incomplete last line (\(slice.count) bytes) left by an interrupted write; "
                                + "it is removed on the next append"))
                }
                continue
            }
            position += 1
            let line = String(repairingUTF8: slice)
            let read: SessionEntry?
            if version < SessionHeader.currentVersion && SessionMigration.needsUpgrade(scalars, version: version) {
                do throws(JSONParseError) {
                    read = try SessionMigration.upgrade(
                        line: line, version: version, position: position, previousId: entries.last?.id)
                } catch {
                    diagnostics.append(
                        .init(kind: .corruptLine, path: path, line: lineNumber, detail: "skipped invalid JSON (\(error))"))
                    continue
                }
            } else {
                read = SessionEntry(scalars: scalars, line: line)
            }
            guard let entry = read else {
                diagnostics.append(
                    .init(kind: .invalidEntry, path: path, line: lineNumber, detail: "skipped an entry without id or type"))
                continue
            }
            guard seen.insert(entry.id).inserted else {
                diagnostics.append(
                    .init(
                        kind: .duplicateId, path: path, line: lineNumber,
                        detail: "skipped a second entry with id '\(entry.id)'"))
                continue
            }
            if !terminated {
                diagnostics.append(
                    .init(
                        kind: .missingFinalNewline, path: path, line: lineNumber,
                        detail: "the last line has no newline; one is added on the next append"))
            }
            entries.append(entry)
        }
        guard let header else { throw .invalidHeader(path: path, reason: "the file is empty") }
        return SessionLoad(header: header, entries: entries, diagnostics: diagnostics, byteCount: buffer.count)
    }

    private static func parseHeader(
        _ slice: UnsafeBufferPointer<UInt8>, lineNumber: Int, path: String
    ) throws(SessionError) -> SessionHeader {
        let value: JSONValue
        do {
            value = try JSONParser.parseLine(slice)
        } catch {
            throw .invalidHeader(path: path, reason: "line \(lineNumber) is not valid JSON (\(error))")
        }
        guard let object = value.objectValue, let header = SessionHeader(object: object) else {
            throw .invalidHeader(path: path, reason: "line \(lineNumber) has no session id and timestamp")
        }
        return header
    }

    /// Index of the next "\n" at or after `start` (or the end), via `memchr`: lines are long and
    /// this runs over every byte of the file.
    private static func nextNewline(in buffer: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        guard let base = buffer.baseAddress, let found = memchr(base + start, 0x0A, buffer.count - start) else {
            return buffer.count
        }
        return UnsafeRawPointer(found) - UnsafeRawPointer(base)
    }

    private static func isBlank(_ slice: UnsafeBufferPointer<UInt8>) -> Bool {
        slice.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
    }

    /// Appends `entries` as complete lines in one write under the session lock.
    ///
    /// Before writing, a torn last line (no newline, not JSON) is truncated away and a valid
    /// unterminated last line gets its newline, so the new lines always start on a line boundary.
    /// Returns a diagnostic describing such a repair, or an empty array.
    @discardableResult
    public func append(_ entries: [SessionEntry]) throws(SessionError) -> [SessionDiagnostic] {
        guard !entries.isEmpty else { return [] }
        let fd = try SessionError.io(FileIO.openFile(path, O_RDWR | O_APPEND, operation: "open for append"))
        defer { close(fd) }
        let lock = try SessionLock(fd: fd, path: path, options: lockOptions)
        var bytes: [UInt8] = []
        let repair = try repairTail(fd)
        if repair.needsNewline { bytes.append(0x0A) }
        for entry in entries {
            bytes.append(contentsOf: entry.line.utf8)
            bytes.append(0x0A)
        }
        try SessionError.io(FileIO.writeAll(fd, bytes, path: path))
        if syncOnAppend, fdatasync(fd) != 0 {
            throw .io(operation: "sync", path: path, errno: errno)
        }
        _ = consume lock
        return repair.diagnostics
    }

    /// Finds the start of the last line; reads backwards in 64 KiB steps because only the tail matters.
    private func repairTail(_ fd: Int32) throws(SessionError) -> (needsNewline: Bool, diagnostics: [SessionDiagnostic]) {
        let size = try SessionError.io(FileIO.fileSize(fd, path: path))
        guard size > 0 else { return (false, []) }
        let last = try SessionError.io(FileIO.preadAll(fd, offset: size - 1, count: 1, path: path))
        guard last != [0x0A] else { return (false, []) }
        var lineStart = 0
        var scanEnd = size
        var tail: [UInt8] = []
        search: while scanEnd > 0 {
            let chunkStart = max(0, scanEnd - 65536)
            let chunk = try SessionError.io(FileIO.preadAll(fd, offset: chunkStart, count: scanEnd - chunkStart, path: path))
            if let newline = chunk.lastIndex(of: 0x0A) {
                lineStart = chunkStart + newline + 1
                tail = Array(chunk[(newline + 1)...]) + tail
                break search
            }
            tail = chunk + tail
            scanEnd = chunkStart
        }
        let isValid = tail.withUnsafeBufferPointer { buffer in (try? SessionLineScanner.scan(buffer)) != nil }
        if isValid { return (true, []) }
        guard ftruncate(fd, off_t(lineStart)) == 0 else { throw .io(operation: "truncate", path: path, errno: errno) }
        return (
            false,
            [
                .init(
                    kind: .tornTail, path: path,
                    detail: "removed an incomplete last line (\(tail.count) bytes) left by an interrupted write")
            ]
        )
    }
}

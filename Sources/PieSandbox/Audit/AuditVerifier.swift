import Glibc
import PieJSON
import PieSystem

/// The result of checking an audit log's hash chain.
public struct AuditVerification: Sendable, Equatable {
    /// Records checked before the first problem (all of them when intact).
    public var records: Int
    /// 1-based line number of the first bad line, nil when intact.
    public var firstBadLine: Int?
    public var problem: String?
    /// Hash of the last good record: note it elsewhere to detect truncation or a full rewrite later.
    public var headHash: String

    public var isIntact: Bool { firstBadLine == nil }
}

/// Checks that every line hashes to its `hash`, points at the previous line's hash and carries the
/// next sequence number. An edit breaks the edited line's own hash; a deletion, insertion or
/// reordering breaks the `prev` link of the first displaced line, which is the line reported.
public enum AuditVerifier {
    /// Length of `,"hash":"<64 hex>"}` at the end of every line.
    static let hashSuffixLength = 75

    public static func verify(path: String) throws(AuditError) -> AuditVerification {
        try verify(contents: try AuditFile.read(path))
    }

    public static func verify(contents: [UInt8]) throws(AuditError) -> AuditVerification {
        var previous = AuditRecord.genesisHash
        var count = 0
        let lines = contents.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        for (index, raw) in lines.enumerated() {
            let number = index + 1
            let isLast = index == lines.count - 1
            if isLast, raw.isEmpty { break }
            func bad(_ problem: String) -> AuditVerification {
                AuditVerification(records: count, firstBadLine: number, problem: problem, headHash: previous)
            }
            if isLast {
                return bad("line \(number) is incomplete (no final newline); a write was torn or the file cut")
            }
            let line = String(decoding: raw, as: UTF8.self)
            let bytes = Array(line.utf8)
            guard bytes.count > hashSuffixLength,
                String(decoding: bytes[(bytes.count - hashSuffixLength)...].prefix(9), as: UTF8.self) == ",\"hash\":\""
            else { return bad("line \(number) has no hash field at its end; it was edited or inserted") }
            let body = String(decoding: bytes[..<(bytes.count - hashSuffixLength)], as: UTF8.self) + "}"
            guard let parsed = (try? JSONParser.parseLine(line)).flatMap(AuditRecord.init(json:)) else {
                return bad("line \(number) is not a valid audit record")
            }
            guard try AuditError.hashing({ () throws(CryptoLibraryError) in try SHA256.hex(body) }) == parsed.hash else {
                return bad("line \(number) does not match its hash; its content was edited")
            }
            guard parsed.previousHash == previous else {
                return bad(
                    "line \(number) does not follow line \(number - 1) in the chain; a line was deleted, inserted "
                        + "or moved here")
            }
            guard parsed.sequence == number else {
                return bad("line \(number) carries sequence \(parsed.sequence), expected \(number)")
            }
            previous = parsed.hash
            count += 1
        }
        return AuditVerification(records: count, firstBadLine: nil, problem: nil, headHash: previous)
    }
}

/// Whole-file reads of audit logs (verify and show read the file once, front to back).
enum AuditFile {
    static func read(_ path: String) throws(AuditError) -> [UInt8] {
        do {
            return try FileIO.readAll(path)
        } catch {
            throw AuditError.io(path: path, action: error.operation, errno: error.code)
        }
    }
}

import Foundation
import Testing

@testable import PieSandbox

/// Logs written before the digest came from libcrypto (by pie's former hand-written SHA-256) still
/// verify: SHA-256 is a standard, so the chain does not depend on who computes it.
@Suite("Audit logs written before libcrypto") struct LegacyAuditLogTests {
    /// Written by `pie tool bash` and `pie tool read` with the hand-written digest (December 2026).
    static let lines = [
        #"{"v":1,"seq":1,"time":"2026-12-07T13:29:12.908Z","event":"decision","session":"tool-921","call":"call_921","tool":"bash","args":"{\"command\":\"echo hello\"}","decision":"allow","rule":"allowed","reason":"every command in the line is allowed by the 'balanced' bash profile","prev":"0000000000000000000000000000000000000000000000000000000000000000","hash":"1e35b88cd6b546584e65307f9eb26a018b8803b940fa543ff4f38b157fd500f9"}"#,
        #"{"v":1,"seq":2,"time":"2026-12-07T13:29:12.993Z","event":"completion","session":"tool-921","call":"call_921","tool":"bash","args":"{\"command\":\"echo hello\"}","decision":"allow","rule":"allowed","sandbox":"bwrap","exit_code":0,"duration_ms":84,"bytes_in":24,"bytes_out":6,"output":"hello\n","prev":"1e35b88cd6b546584e65307f9eb26a018b8803b940fa543ff4f38b157fd500f9","hash":"4c03f73a502c1072ec41d9d29ee498f36efa6e844c03964d7bad791284b3b36b"}"#,
        #"{"v":1,"seq":3,"time":"2026-12-07T13:29:13.133Z","event":"decision","session":"tool-937","call":"call_937","tool":"read","args":"{\"path\":\"nothing.txt\"}","requested_path":"nothing.txt","resolved_path":"/tmp/auditfix/nothing.txt","decision":"allow","rule":"allowed","reason":"read may read '/tmp/auditfix/nothing.txt'","prev":"4c03f73a502c1072ec41d9d29ee498f36efa6e844c03964d7bad791284b3b36b","hash":"c04d2a9a7262da730fbf952d12eda7751c8715cfae6af927caa999aa0134abb8"}"#,
        #"{"v":1,"seq":4,"time":"2026-12-07T13:29:13.145Z","event":"completion","session":"tool-937","call":"call_937","tool":"read","args":"{\"path\":\"nothing.txt\"}","resolved_path":"/tmp/auditfix/nothing.txt","decision":"allow","rule":"allowed","reason":"ENOENT: no such file or directory, access '/tmp/auditfix/nothing.txt'","duration_ms":20,"bytes_in":22,"bytes_out":69,"output":"ENOENT: no such file or directory, access '/tmp/auditfix/nothing.txt'","prev":"c04d2a9a7262da730fbf952d12eda7751c8715cfae6af927caa999aa0134abb8","hash":"f86a0657579c2c502984dba0c8bb646768d4dda3f809b40370039cacddf4a746"}"#,
    ]

    @Test func verifiesIntact() throws {
        let contents = Array((Self.lines.joined(separator: "\n") + "\n").utf8)
        let result = try AuditVerifier.verify(contents: contents)
        #expect(result.isIntact, "\(result.problem ?? "")")
        #expect(result.records == 4)
        #expect(result.headHash == "f86a0657579c2c502984dba0c8bb646768d4dda3f809b40370039cacddf4a746")
    }

    @Test func anEditIsStillCaught() throws {
        var lines = Self.lines
        lines[1] = lines[1].replacingOccurrences(of: "hello", with: "HELLO")
        let result = try AuditVerifier.verify(contents: Array((lines.joined(separator: "\n") + "\n").utf8))
        #expect(result.firstBadLine == 2)
    }
}

import Foundation
import PieTestSupport

/// HMAC-SHA256 computed by Python's `hmac` module in a separate process: an implementation
/// independent of libcrypto-through-PieSystem, so a test's expected signature is not the code
/// under test checking itself.
enum Oracle {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Lowercase hex HMAC-SHA256 of each message under `key`, one python3 process for all (the
    /// messages travel as base64 arguments), waited for on a thread of its own so a test never
    /// blocks the cooperative pool other tests run on.
    static func hmacHex(key: String, messages: [[UInt8]]) async throws -> [String] {
        try await LoopbackHTTPConnection.offPool { try run(key: key, messages: messages) }
    }

    private static func run(key: String, messages: [[UInt8]]) throws -> [String] {
        let script = """
            import hmac, hashlib, sys, base64
            key = sys.argv[1].encode()
            for text in sys.argv[2:]:
                print(hmac.new(key, base64.b64decode(text), hashlib.sha256).hexdigest())
            """
        let encoded = messages.map { Data($0).base64EncodedString() }
        let result = try HostProcess.runBlocking(["/usr/bin/env", "python3", "-c", script, key] + encoded)
        let (status, output) = (result.status, result.stdoutText)
        guard status == 0 else { throw Failure(description: "python3 hmac oracle exited \(status)") }
        let hexes = output.split(separator: "\n").map(String.init)
        guard hexes.count == messages.count else { throw Failure(description: "oracle returned \(hexes.count) of \(messages.count)") }
        return hexes
    }

    static func hmacHex(key: String, message: [UInt8]) async throws -> String {
        try await hmacHex(key: key, messages: [message])[0]
    }
}

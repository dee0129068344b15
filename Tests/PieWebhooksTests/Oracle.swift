import Foundation

/// HMAC-SHA256 computed by Python's `hmac` module in a separate process: an implementation
/// independent of libcrypto-through-PieSystem, so a test's expected signature is not the code
/// under test checking itself.
enum Oracle {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Lowercase hex HMAC-SHA256 of each message under `key`, one python3 process for all.
    static func hmacHex(key: String, messages: [[UInt8]]) throws -> [String] {
        let script = """
            import hmac, hashlib, sys, base64
            key = sys.argv[1].encode()
            for line in sys.stdin.read().split():
                print(hmac.new(key, base64.b64decode(line), hashlib.sha256).hexdigest())
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, key]
        let (input, output) = (Pipe(), Pipe())
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let lines = messages.map { Data($0).base64EncodedString() + "\n" }.joined()
        input.fileHandleForWriting.write(Data(lines.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw Failure(description: "python3 hmac oracle exited \(process.terminationStatus)") }
        let hexes = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        guard hexes.count == messages.count else { throw Failure(description: "oracle returned \(hexes.count) of \(messages.count)") }
        return hexes
    }

    static func hmacHex(key: String, message: [UInt8]) throws -> String {
        try hmacHex(key: key, messages: [message])[0]
    }
}

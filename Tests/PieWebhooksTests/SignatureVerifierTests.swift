import PieAutomations
import Testing
@testable import PieWebhooks

/// Each scheme against signatures computed by python3's hmac module (Oracle).
@Suite struct SignatureVerifierTests {
    static let secret = "It's a Secret to Everybody"
    static let now = Instant(secondsSinceEpoch: 1_780_000_000)
    let key = WebhookSecret(Self.secret)!

    func delivery(_ headers: [(String, String)], _ body: String) -> SignedDelivery {
        SignedDelivery(headers: WebhookHeaders(headers.map { (name: $0.0, value: $0.1) }), body: Array(body.utf8))
    }

    @Test("GitHub's own example: secret and payload from its docs give its published signature")
    func githubDocsExample() async throws {
        // docs.github.com "Validating webhook deliveries", "Testing the webhook payload validation".
        let expected = "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
        let oracle = try await Oracle.hmacHex(key: Self.secret, message: Array("Hello, World!".utf8))
        #expect(oracle == expected)
        let verified = try SHA256HeaderVerifier.github.verify(
            delivery([("X-Hub-Signature-256", "sha256=\(expected)")], "Hello, World!"), secret: key, now: Self.now)
        #expect(verified == VerifiedSignature(signatureHex: expected, deliveryID: nil))
    }

    @Test("GitHub: a valid signature verifies and carries X-GitHub-Delivery; header names in any case")
    func githubValid() async throws {
        let body = #"{"action":"completed","workflow_run":{"id":42}}"#
        let hex = try await Oracle.hmacHex(key: Self.secret, message: Array(body.utf8))
        let verified = try SHA256HeaderVerifier.github.verify(
            delivery([("x-hub-signature-256", "sha256=\(hex.uppercased())"), ("X-GITHUB-DELIVERY", "72d3162e")], body),
            secret: key, now: Self.now)
        #expect(verified == VerifiedSignature(signatureHex: hex, deliveryID: "72d3162e"))
    }

    @Test("GitHub: wrong secret, changed body, missing, repeated and malformed headers are refused")
    func githubRefusals() async throws {
        let body = "payload"
        let hex = try await Oracle.hmacHex(key: Self.secret, message: Array(body.utf8))
        let other = try await Oracle.hmacHex(key: "another secret", message: Array(body.utf8))
        let verifier = SHA256HeaderVerifier.github
        let header = "X-Hub-Signature-256"
        #expect(throws: SignatureFailure.mismatch(header: header)) {
            try verifier.verify(delivery([(header, "sha256=\(other)")], body), secret: key, now: Self.now)
        }
        #expect(throws: SignatureFailure.mismatch(header: header)) {
            try verifier.verify(delivery([(header, "sha256=\(hex)")], body + " "), secret: key, now: Self.now)
        }
        #expect(throws: SignatureFailure.missingHeader(header)) {
            try verifier.verify(delivery([("X-Hub-Signature", "sha1=\(hex)")], body), secret: key, now: Self.now)
        }
        #expect(throws: SignatureFailure.repeatedHeader(header)) {
            try verifier.verify(delivery([(header, "sha256=\(hex)"), (header, "sha256=\(hex)")], body), secret: key, now: Self.now)
        }
        for malformed in [hex, "sha1=\(hex)", "sha256=\(hex.dropLast())", "sha256=\(hex)00", "sha256=\(hex.dropLast())g", "sha256= \(hex)"] {
            #expect(throws: SignatureFailure.malformedHeader(header, expected: "sha256=<64 hex digits>"), "\(malformed)") {
                try verifier.verify(delivery([(header, malformed)], body), secret: key, now: Self.now)
            }
        }
    }

    @Test("plain hmac-sha256: X-Signature sha256=<hex> over the raw body, optional X-Delivery-Id")
    func plain() async throws {
        let body = [UInt8](0...255)
        let hex = try await Oracle.hmacHex(key: Self.secret, message: body)
        let verifier = SHA256HeaderVerifier.plain
        let signed = SignedDelivery(headers: WebhookHeaders([(name: "X-Signature", value: "sha256=\(hex)")]), body: body)
        #expect(try verifier.verify(signed, secret: key, now: Self.now) == VerifiedSignature(signatureHex: hex, deliveryID: nil))
        var withID = signed
        withID.headers.append(name: "X-Delivery-Id", value: "build-981")
        #expect(try verifier.verify(withID, secret: key, now: Self.now).deliveryID == "build-981")
        // GitHub's header is not this scheme's.
        let github = SignedDelivery(headers: WebhookHeaders([(name: "X-Hub-Signature-256", value: "sha256=\(hex)")]), body: body)
        #expect(throws: SignatureFailure.missingHeader("X-Signature")) { try verifier.verify(github, secret: key, now: Self.now) }
    }

    @Test("slack v0: HMAC of v0:<timestamp>:<body>; the timestamp is part of what is signed")
    func slackValid() async throws {
        let body = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&command=%2Fweather"
        let stamp = Self.now.secondsSinceEpoch - 12
        let hex = try await Oracle.hmacHex(key: Self.secret, message: Array("v0:\(stamp):\(body)".utf8))
        let verifier = SlackV0Verifier()
        let headers = [("X-Slack-Signature", "v0=\(hex)"), ("X-Slack-Request-Timestamp", "\(stamp)")]
        #expect(try verifier.verify(delivery(headers, body), secret: key, now: Self.now).signatureHex == hex)
        // The same signature with another timestamp (inside the window) does not verify.
        let moved = [("X-Slack-Signature", "v0=\(hex)"), ("X-Slack-Request-Timestamp", "\(stamp + 1)")]
        #expect(throws: SignatureFailure.mismatch(header: "X-Slack-Signature")) {
            try verifier.verify(delivery(moved, body), secret: key, now: Self.now)
        }
        // A signature over the body alone (GitHub-style) is not a Slack signature.
        let bodyOnly = try await Oracle.hmacHex(key: Self.secret, message: Array(body.utf8))
        #expect(throws: SignatureFailure.mismatch(header: "X-Slack-Signature")) {
            try verifier.verify(
                delivery([("X-Slack-Signature", "v0=\(bodyOnly)"), ("X-Slack-Request-Timestamp", "\(stamp)")], body),
                secret: key, now: Self.now)
        }
    }

    @Test("slack v0: five minutes either side of now is accepted, a second more is refused, in both directions")
    func slackWindow() async throws {
        let body = "{}"
        let verifier = SlackV0Verifier()
        let offsets: [Int64] = [-301, -300, 0, 300, 301]
        let stamps = offsets.map { Self.now.secondsSinceEpoch + $0 }
        let hexes = try await Oracle.hmacHex(key: Self.secret, messages: stamps.map { Array("v0:\($0):\(body)".utf8) })
        for (index, offset) in offsets.enumerated() {
            let signed = delivery([("X-Slack-Signature", "v0=\(hexes[index])"), ("X-Slack-Request-Timestamp", "\(stamps[index])")], body)
            if abs(offset) <= 300 {
                #expect(throws: Never.self, "offset \(offset)") { try verifier.verify(signed, secret: key, now: Self.now) }
            } else {
                #expect(
                    throws: SignatureFailure.staleTimestamp(
                        header: "X-Slack-Request-Timestamp", timestamp: stamps[index], now: Self.now.secondsSinceEpoch,
                        toleranceSeconds: 300), "offset \(offset)"
                ) { try verifier.verify(signed, secret: key, now: Self.now) }
            }
        }
        // The same delivery verifies at one injected time and not at another.
        let signed = delivery([("X-Slack-Signature", "v0=\(hexes[2])"), ("X-Slack-Request-Timestamp", "\(stamps[2])")], body)
        let later = Instant(secondsSinceEpoch: Self.now.secondsSinceEpoch + 301)
        #expect(throws: SignatureFailure.self) { try verifier.verify(signed, secret: key, now: later) }
    }

    @Test("slack v0: missing or non-numeric timestamps and v1 signatures are refused")
    func slackMalformed() async throws {
        let verifier = SlackV0Verifier()
        let stamp = "\(Self.now.secondsSinceEpoch)"
        let hex = try await Oracle.hmacHex(key: Self.secret, message: Array("v0:\(stamp):x".utf8))
        #expect(throws: SignatureFailure.missingHeader("X-Slack-Request-Timestamp")) {
            try verifier.verify(delivery([("X-Slack-Signature", "v0=\(hex)")], "x"), secret: key, now: Self.now)
        }
        for bad in ["", "-5", "+\(stamp)", "\(stamp).0", "1e9", "99999999999999999999"] {
            #expect(throws: SignatureFailure.malformedHeader("X-Slack-Request-Timestamp", expected: "<Unix seconds>"), "\(bad)") {
                try verifier.verify(
                    delivery([("X-Slack-Signature", "v0=\(hex)"), ("X-Slack-Request-Timestamp", bad)], "x"), secret: key, now: Self.now)
            }
        }
        #expect(throws: SignatureFailure.malformedHeader("X-Slack-Signature", expected: "v0=<64 hex digits>")) {
            try verifier.verify(
                delivery([("X-Slack-Signature", "v1=\(hex)"), ("X-Slack-Request-Timestamp", stamp)], "x"), secret: key, now: Self.now)
        }
    }

    @Test("the file's signature names select the matching verifier")
    func selection() {
        #expect(AutomationTrigger.Signature.githubSHA256.verifier as? SHA256HeaderVerifier == .github)
        #expect(AutomationTrigger.Signature.slackV0.verifier is SlackV0Verifier)
        #expect(AutomationTrigger.Signature.hmacSHA256.verifier as? SHA256HeaderVerifier == .plain)
    }

    @Test("an empty secret is no secret, and a secret never prints its bytes")
    func secrets() {
        #expect(WebhookSecret("") == nil)
        #expect(!"\(WebhookSecret("hunter2")!)".contains("hunter2"))
    }
}

import PieAutomations
import Testing
@testable import PieWebhooks

/// Random cases against python3's hmac module: every oracle signature verifies, and every
/// signature with one hex digit changed does not. A fixed seed keeps failures reproducible.
@Suite struct SignaturePropertyTests {
    /// SplitMix64: a small seeded generator, so the cases are the same on every run.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let now = Instant(secondsSinceEpoch: 1_780_000_000)

    @Test("300 random binary bodies (0–4 KiB, NULs included): the oracle's signature verifies, one changed digit does not")
    func randomBodies() async throws {
        var random = SeededGenerator(state: 0x5EED_0001)
        let secretText = "prop-secret-\(random.next())"
        let secret = try #require(WebhookSecret(secretText))
        let bodies = (0..<300).map { _ in (0..<Int.random(in: 0...4_096, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) } }
        let hexes = try await Oracle.hmacHex(key: secretText, messages: bodies)
        let verifier = SHA256HeaderVerifier.plain
        for (body, hex) in zip(bodies, hexes) {
            let good = SignedDelivery(headers: WebhookHeaders([(name: "X-Signature", value: "sha256=\(hex)")]), body: body)
            #expect(try verifier.verify(good, secret: secret, now: Self.now).signatureHex == hex)
            var digits = Array(hex)
            let position = Int.random(in: 0..<digits.count, using: &random)
            let replacements = Array("0123456789abcdef").filter { $0 != digits[position] }
            digits[position] = replacements[Int.random(in: 0..<replacements.count, using: &random)]
            let bad = SignedDelivery(headers: WebhookHeaders([(name: "X-Signature", value: "sha256=\(String(digits))")]), body: body)
            #expect(throws: SignatureFailure.mismatch(header: "X-Signature")) { try verifier.verify(bad, secret: secret, now: Self.now) }
        }
    }

    @Test("ConstantTime.equal agrees with == on 5,000 random pairs, a third of them equal")
    func constantTimeAgreesWithEquality() {
        var random = SeededGenerator(state: 0x5EED_0002)
        var equalPairs = 0
        for index in 0..<5_000 {
            let left = (0..<Int.random(in: 0...40, using: &random)).map { _ in UInt8.random(in: 0...3, using: &random) }
            let right = index % 3 == 0 ? left : (0..<Int.random(in: 0...40, using: &random)).map { _ in UInt8.random(in: 0...3, using: &random) }
            if left == right { equalPairs += 1 }
            #expect(ConstantTime.equal(left, right) == (left == right), "\(left) vs \(right)")
        }
        #expect(equalPairs >= 1_666)
    }
}

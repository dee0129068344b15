import PieSystem
import PieAutomations

/// One signature scheme: checks a delivery against a secret, purely (no HTTP, no clock of its own:
/// `now` is passed in so a timestamp window is testable).
public protocol WebhookSignatureVerifier: Sendable {
    /// The header names this scheme reads (the listener hands over only these).
    var headerNames: [String] { get }
    func verify(_ delivery: SignedDelivery, secret: WebhookSecret, now: Instant) throws(SignatureFailure) -> VerifiedSignature
}

extension AutomationTrigger.Signature {
    /// The verifier of the scheme an automation file names in `trigger.webhook.signature`.
    public var verifier: any WebhookSignatureVerifier {
        switch self {
        case .githubSHA256: SHA256HeaderVerifier.github
        case .slackV0: SlackV0Verifier()
        case .hmacSHA256: SHA256HeaderVerifier.plain
        }
    }
}

/// The shared step of every scheme: HMAC-SHA256 of `message` under the secret (libcrypto),
/// compared in constant time with the hex the sender wrote.
enum HMACCheck {
    /// The length of an HMAC-SHA256 in hex.
    static let hexLength = 64

    static func verify(
        hex: Substring, message: [UInt8], secret: WebhookSecret, header: String, expected: String
    ) throws(SignatureFailure) -> String {
        guard hex.utf8.count == hexLength, let sent = HexBytes.decode(hex) else {
            throw .malformedHeader(header, expected: expected)
        }
        let computed: [UInt8]
        do {
            computed = try HMACSHA256.authenticationCode(key: secret.bytes, message: message)
        } catch {
            throw .cryptoUnavailable(error.description)
        }
        guard ConstantTime.equal(computed, sent) else { throw .mismatch(header: header) }
        return hex.lowercased()
    }
}

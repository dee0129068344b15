import PieAutomations

/// Slack's scheme (api.slack.com, "Verifying requests from Slack"): `X-Slack-Signature: v0=<hex>`
/// is HMAC-SHA256 under the signing secret of the basestring `v0:<timestamp>:<raw body>`, with
/// `<timestamp>` the `X-Slack-Request-Timestamp` header (Unix seconds). A timestamp more than five
/// minutes from now, in either direction, is refused before any HMAC is computed: the signature
/// covers the time, so a captured request stops verifying once it is old.
public struct SlackV0Verifier: WebhookSignatureVerifier {
    public static let signatureHeader = "X-Slack-Signature"
    public static let timestampHeader = "X-Slack-Request-Timestamp"
    static let prefix = "v0="
    /// Slack's window: five minutes either side of the receiver's clock.
    public static let defaultToleranceSeconds: Int64 = 300

    public let toleranceSeconds: Int64

    public init(toleranceSeconds: Int64 = Self.defaultToleranceSeconds) {
        self.toleranceSeconds = toleranceSeconds
    }

    public var headerNames: [String] { [Self.signatureHeader, Self.timestampHeader] }

    public func verify(
        _ delivery: SignedDelivery, secret: WebhookSecret, now: Instant
    ) throws(SignatureFailure) -> VerifiedSignature {
        let stampText = try delivery.headers.single(Self.timestampHeader)
        guard stampText.utf8.count <= 12, stampText.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
            let stamp = Int64(stampText)
        else {
            throw .malformedHeader(Self.timestampHeader, expected: "<Unix seconds>")
        }
        let distance = stamp > now.secondsSinceEpoch ? stamp - now.secondsSinceEpoch : now.secondsSinceEpoch - stamp
        guard distance <= toleranceSeconds else {
            throw .staleTimestamp(
                header: Self.timestampHeader, timestamp: stamp, now: now.secondsSinceEpoch, toleranceSeconds: toleranceSeconds)
        }
        let value = try delivery.headers.single(Self.signatureHeader)
        let expected = "v0=<64 hex digits>"
        guard value.hasPrefix(Self.prefix) else { throw .malformedHeader(Self.signatureHeader, expected: expected) }
        var basestring = Array("v0:\(stampText):".utf8)
        basestring.append(contentsOf: delivery.body)
        let hex = try HMACCheck.verify(
            hex: value.dropFirst(Self.prefix.count), message: basestring, secret: secret,
            header: Self.signatureHeader, expected: expected)
        return VerifiedSignature(signatureHex: hex, deliveryID: nil)
    }
}

import PieAutomations

/// pie's plain scheme for senders that are neither GitHub nor Slack (a CI script, curl):
/// `X-Signature: sha256=<hex>`, HMAC-SHA256 of the raw body, with an optional `X-Delivery-Id`.
/// The same shape as GitHub's header under a neutral name, so `openssl dgst -sha256 -hmac` output
/// needs one prefix, and the `sha256=` names the algorithm rather than leaving bare hex to be
/// guessed at. Like GitHub's, the signature covers no time: two deliveries of byte-identical
/// bodies inside the replay window are one delivery (docs/webhooks.md).
public struct PlainHMACSHA256Verifier: WebhookSignatureVerifier {
    public static let signatureHeader = "X-Signature"
    public static let deliveryHeader = "X-Delivery-Id"
    static let prefix = "sha256="

    public init() {}

    public var headerNames: [String] { [Self.signatureHeader, Self.deliveryHeader] }

    public func verify(
        _ delivery: SignedDelivery, secret: WebhookSecret, now: Instant
    ) throws(SignatureFailure) -> VerifiedSignature {
        let value = try delivery.headers.single(Self.signatureHeader)
        let expected = "sha256=<64 hex digits>"
        guard value.hasPrefix(Self.prefix) else { throw .malformedHeader(Self.signatureHeader, expected: expected) }
        let hex = try HMACCheck.verify(
            hex: value.dropFirst(Self.prefix.count), message: delivery.body, secret: secret,
            header: Self.signatureHeader, expected: expected)
        return VerifiedSignature(signatureHex: hex, deliveryID: try delivery.headers.optional(Self.deliveryHeader))
    }
}

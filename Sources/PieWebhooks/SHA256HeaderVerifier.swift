import PieAutomations

/// The two schemes whose header is `sha256=<hex>`, HMAC-SHA256 of the raw body under the
/// webhook's secret. Neither signature covers a time, so replay protection rests on the replay
/// cache, keyed on both the signature and the delivery id.
///
/// - `github` (docs.github.com, "Validating webhook deliveries"): `X-Hub-Signature-256`, delivery
///   id `X-GitHub-Delivery`.
/// - `plain`, pie's scheme for senders that are neither GitHub nor Slack (a CI script, curl):
///   `X-Signature` with an optional `X-Delivery-Id`. GitHub's shape under a neutral name, so
///   `openssl dgst -sha256 -hmac` output needs one prefix, and `sha256=` names the algorithm
///   rather than leaving bare hex to be guessed at (docs/webhooks.md).
public struct SHA256HeaderVerifier: WebhookSignatureVerifier, Equatable {
    public let signatureHeader: String
    public let deliveryHeader: String
    static let prefix = "sha256="

    public static let github = SHA256HeaderVerifier(signatureHeader: "X-Hub-Signature-256", deliveryHeader: "X-GitHub-Delivery")
    public static let plain = SHA256HeaderVerifier(signatureHeader: "X-Signature", deliveryHeader: "X-Delivery-Id")

    public var headerNames: [String] { [signatureHeader, deliveryHeader] }

    public func verify(
        _ delivery: SignedDelivery, secret: WebhookSecret, now: Instant
    ) throws(SignatureFailure) -> VerifiedSignature {
        let value = try delivery.headers.single(signatureHeader)
        let expected = "sha256=<64 hex digits>"
        guard value.hasPrefix(Self.prefix) else { throw .malformedHeader(signatureHeader, expected: expected) }
        let hex = try HMACCheck.verify(
            hex: value.dropFirst(Self.prefix.count), message: delivery.body, secret: secret, header: signatureHeader,
            expected: expected)
        return VerifiedSignature(signatureHex: hex, deliveryID: try delivery.headers.optional(deliveryHeader))
    }
}

import PieAutomations

/// GitHub's scheme (docs.github.com, "Validating webhook deliveries"): `X-Hub-Signature-256:
/// sha256=<hex>` is HMAC-SHA256 of the raw body under the webhook's secret. The signature covers
/// no time, so replay protection rests on the replay cache, keyed on both the signature and
/// GitHub's delivery id `X-GitHub-Delivery`.
public struct GitHubSHA256Verifier: WebhookSignatureVerifier {
    public static let signatureHeader = "X-Hub-Signature-256"
    public static let deliveryHeader = "X-GitHub-Delivery"
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

/// A signature check that passed: what the replay cache keys on.
public struct VerifiedSignature: Sendable, Equatable {
    /// The signature as sent, lowercased hex without its prefix (`sha256=`, `v0=`).
    public var signatureHex: String
    /// The sender's own delivery id (`X-GitHub-Delivery`, `X-Delivery-Id`), when it sent one.
    public var deliveryID: String?

    public init(signatureHex: String, deliveryID: String?) {
        (self.signatureHex, self.deliveryID) = (signatureHex, deliveryID)
    }
}

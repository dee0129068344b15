/// A value the replay cache remembers for an accepted delivery. A delivery is a replay when
/// *any* of its keys was seen within the window: the signature alone would let a sender's
/// legitimate resend with a new delivery id through twice, and the delivery id alone is not
/// covered by the signature, so anyone who captured a GitHub delivery could replay it under a
/// fresh `X-GitHub-Delivery`.
public enum ReplayKey: Sendable, Hashable, CustomStringConvertible {
    /// The signature's lowercase hex.
    case signature(String)
    /// The sender's delivery id header.
    case deliveryID(String)

    /// The keys of a verified delivery, the delivery id (when sent) first.
    public static func keys(of signature: VerifiedSignature) -> [ReplayKey] {
        var keys: [ReplayKey] = []
        if let id = signature.deliveryID, !id.isEmpty { keys.append(.deliveryID(id)) }
        keys.append(.signature(signature.signatureHex))
        return keys
    }

    /// One string per key, distinct between kinds, for a store's key column.
    public var storageKey: String {
        switch self {
        case .signature(let hex): "sig:\(hex)"
        case .deliveryID(let id): "id:\(id)"
        }
    }

    public var description: String { storageKey }
}

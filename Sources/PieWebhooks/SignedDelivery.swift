/// What a signature check reads from one HTTP request: its headers and its raw body bytes,
/// exactly as received (a signature covers the bytes, not a re-encoding of them).
public struct SignedDelivery: Sendable {
    public var headers: WebhookHeaders
    public var body: [UInt8]

    public init(headers: WebhookHeaders, body: [UInt8]) {
        (self.headers, self.body) = (headers, body)
    }
}

import PieAutomations

/// A served path: its endpoint, the scheme's verifier and the secret (nil when `secret_env` was
/// not set at start-up: the route then refuses every delivery with 503 rather than 404, so the
/// sender sees the automation exists but is not configured).
struct WebhookRoute: Sendable {
    var endpoint: WebhookEndpoint
    var verifier: any WebhookSignatureVerifier
    var secret: WebhookSecret?
}

/// The paths the listener serves, built once at start-up from the webhook automations and the
/// environment their secrets are read from (passed in, so tests and the scheduler choose it).
public struct WebhookRouteTable: Sendable {
    /// The path `/metrics` is served on; no automation may take it.
    public static let metricsPath = "/metrics"

    private var routes: [String: WebhookRoute] = [:]
    /// Automations served with a refusal (missing secret) or not at all (path taken), in order.
    public private(set) var problems: [WebhookRouteProblem] = []

    /// Endpoints are taken in the order given; a path already taken is refused for every later
    /// endpoint, as `AutomationSet` refuses a shared path.
    public init(endpoints: [WebhookEndpoint], environment: [String: String]) {
        for endpoint in endpoints {
            if endpoint.path == Self.metricsPath {
                problems.append(
                    problem(endpoint, "trigger.webhook.path", "'\(endpoint.path)' is where the listener serves its metrics",
                        fix: "choose another path, e.g. /hooks/\(endpoint.automationID)"))
                continue
            }
            if let owner = routes[endpoint.path] {
                problems.append(
                    problem(endpoint, "trigger.webhook.path", "'\(endpoint.path)' is already the path of \(owner.endpoint.automationID)",
                        fix: "give each webhook automation its own path"))
                continue
            }
            let secret = environment[endpoint.secretEnv].flatMap(WebhookSecret.init)
            if secret == nil {
                problems.append(
                    problem(endpoint, "trigger.webhook.secret_env",
                        "the environment variable \(endpoint.secretEnv) is not set or empty, so deliveries to \(endpoint.path) are refused (503)",
                        fix: "export \(endpoint.secretEnv) in the environment `pie automations serve` runs in, then restart it"))
            }
            routes[endpoint.path] = WebhookRoute(endpoint: endpoint, verifier: endpoint.signature.verifier, secret: secret)
        }
    }

    /// The paths served (with or without a secret), sorted.
    public var paths: [String] { routes.keys.sorted() }

    func route(for path: String) -> WebhookRoute? { routes[path] }

    private func problem(_ endpoint: WebhookEndpoint, _ field: String, _ message: String, fix: String) -> WebhookRouteProblem {
        WebhookRouteProblem(automationID: endpoint.automationID, file: endpoint.file, field: field, message: message, fix: fix)
    }
}

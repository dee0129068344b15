import PieAutomations
import PieJSON
import PieScheduler
import PieWebhooks
import Synchronization

/// Webhook triggers for `serve`: PieWebhooks' listener on `--listen`, its verified deliveries
/// queued through the store, and `/metrics` from the store. The listener always runs, so
/// `/metrics` answers even with no webhook automation. Its routes (paths and secrets) are built
/// when it starts; a reload that changes them restarts it after the requests in flight finish.
public final class WebhookTriggerSource: TriggerSource {
    public let name = "webhook"
    private let configuration: WebhookListenerConfiguration
    private let environment: [String: String]
    private let log: ServeLog
    private let automations = AutomationDirectory()
    private let state = Mutex<State>(State())

    private struct State {
        var listener: WebhookListener?
        var endpoints: [WebhookEndpoint] = []
        var sink: TriggerSink?
        var bound: ListenAddress?
    }

    /// - Parameter environment: where the automations' `secret_env` variables are read.
    public init(configuration: WebhookListenerConfiguration, environment: [String: String], log: ServeLog) {
        (self.configuration, self.environment, self.log) = (configuration, environment, log)
    }

    /// The address the listener bound (the real port when `--listen` asked for port 0).
    public var boundAddress: ListenAddress? { state.withLock { $0.bound } }

    public func start(automations: [Automation], sink: TriggerSink) async throws {
        state.withLock { $0.sink = sink }
        try await serve(automations)
    }

    public func reload(automations: [Automation]) async {
        self.automations.replace(with: automations)
        let changed = state.withLock { $0.endpoints != Self.endpoints(automations) }
        guard changed else { return }
        await stopListener()
        do {
            try await serve(automations)
        } catch {
            log.log(.error, "webhook_listener_failed", "the webhook listener did not restart: \(error)")
        }
    }

    public func stop() async {
        await stopListener()
    }

    private func serve(_ automations: [Automation]) async throws {
        guard let sink = state.withLock({ $0.sink }) else { return }
        self.automations.replace(with: automations)
        let endpoints = Self.endpoints(automations)
        let routes = WebhookRouteTable(endpoints: endpoints, environment: environment)
        for problem in routes.problems {
            log.log(.error, "webhook_route_refused", "\(problem)", [("automation", .string(problem.automationID.rawValue))])
        }
        let listener = WebhookListener(
            configuration: configuration, routes: routes, sink: StoreWebhookSink(sink: sink, automations: self.automations),
            metrics: StoreMetrics(store: sink.store), clock: SchedulerWebhookClock(clock: sink.clock),
            events: { [log] event in Self.report(event, to: log) })
        let bound = try await listener.start()
        state.withLock { state in
            state.listener = listener
            state.endpoints = endpoints
            state.bound = bound
        }
        log.log(
            .info, "webhook_listening", "webhook listener on \(bound) serving \(routes.paths.count) paths and /metrics",
            [("address", .string("\(bound)"))])
    }

    private func stopListener() async {
        let listener = state.withLock { state -> WebhookListener? in
            defer { state.listener = nil }
            return state.listener
        }
        await listener?.stop()
    }

    private static func endpoints(_ automations: [Automation]) -> [WebhookEndpoint] {
        automations.filter(\.enabled).sorted { $0.path < $1.path }.compactMap(WebhookEndpoint.init(automation:))
    }

    /// One log line per request, without its body or signature.
    private static func report(_ event: WebhookEvent, to log: ServeLog) {
        var fields: [(String, JSONValue)] = [
            ("method", .string(event.method)), ("path", .string(event.path)), ("outcome", .string(event.outcome.rawValue)),
        ]
        if let id = event.automationID { fields.append(("automation", .string(id.rawValue))) }
        if let run = event.runID { fields.append(("run", .string(run))) }
        let level: ServeLog.Level = event.outcome.status < 400 ? .info : .warning
        log.log(level, "webhook_delivery", event.detail ?? "\(event.method) \(event.path): \(event.outcome.rawValue)", fields)
    }
}

/// The listener's "now" (Slack's timestamp window, a delivery's `receivedAt`) is the scheduler's
/// clock, so the test clock moves both.
struct SchedulerWebhookClock: WebhookClock {
    let clock: any SchedulerClock
    func now() -> Instant { clock.now() }
}

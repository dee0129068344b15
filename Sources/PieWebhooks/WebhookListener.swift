import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOPosix
import PieAutomations
import ServiceLifecycle
import Synchronization

/// The webhook listener of `pie automations serve`: `POST <path>` for each webhook automation and
/// `GET /metrics`, over Hummingbird's HTTP/1 server. `start` binds and returns the bound address;
/// `stop` stops accepting, lets requests in flight finish, and returns when the server is down.
public final class WebhookListener: Sendable {
    private let configuration: WebhookListenerConfiguration
    private let gate: WebhookGate
    private let state = Mutex<State>(.idle)

    private enum State {
        case idle
        case starting
        case running(group: ServiceGroup, task: Task<Void, any Error>)
        case stopped
    }

    /// Deliveries counted since start-up (what /metrics reports as `pie_webhook_deliveries_total`).
    public let counters = DeliveryCounters()

    /// - Parameters:
    ///   - routes: the served paths, built from the automations and the environment at start-up.
    ///   - sink: where verified deliveries are queued (the scheduler's store).
    ///   - metrics: the scheduler's state for /metrics (nil: only the listener's own counters).
    ///   - clock: "now" for Slack's timestamp window and each delivery's `receivedAt`.
    ///   - events: called once per request with its outcome, for the scheduler's log.
    public init(
        configuration: WebhookListenerConfiguration, routes: WebhookRouteTable, sink: any WebhookSink,
        metrics: (any SchedulerMetricsSource)?, clock: any WebhookClock = SystemWebhookClock(),
        events: @escaping @Sendable (WebhookEvent) -> Void = { _ in }
    ) {
        self.configuration = configuration
        gate = WebhookGate(
            routes: routes, sink: sink, metrics: metrics, counters: counters, clock: clock, configuration: configuration,
            events: events)
    }

    /// Binds and starts serving; returns the bound address (the real port when the configured
    /// one is 0). Throws when the address cannot be bound or the listener was already started.
    public func start() async throws(WebhookListenerError) -> ListenAddress {
        let claimed = state.withLock { state -> Bool in
            guard case .idle = state else { return false }
            state = .starting
            return true
        }
        guard claimed else { throw .alreadyStarted }
        let bound = AsyncStream<Result<ListenAddress, any Error>>.makeStream()
        let host = configuration.address.host
        // The server alone, not Hummingbird's `Application`: that also runs a date cache which
        // wakes every second to format the `Date` header, and an idle `serve` must sleep for a
        // minute at a time. `HTTPDate` formats it per response instead.
        let responder = WebhookResponder(gate: gate)
        let logger = Self.silent
        let server: any Service
        do {
            server = try HTTPServerBuilder.http1(
                configuration: HTTP1Channel.Configuration(idleTimeout: .seconds(configuration.idleTimeoutSeconds))
            ).buildServer(
                configuration: ServerConfiguration(address: .hostname(host, port: configuration.address.port), serverName: nil),
                eventLoopGroup: MultiThreadedEventLoopGroup.singleton, logger: logger,
                responder: { request, writer, channel in
                    let context = WebhookRequestContext(source: ApplicationRequestContextSource(channel: channel, logger: logger))
                    var response = try await responder.respond(to: request, context: context)
                    response.headers[.date] = HTTPDate.now()
                    try await writer.write(response: response.head, body: response.body)
                },
                onServerRunning: { channel in
                    bound.continuation.yield(.success(ListenAddress(host: host, port: channel.localAddress?.port ?? 0)))
                })
        } catch {
            state.withLock { $0 = .idle }
            throw .cannotListen(address: configuration.address, reason: "\(error)")
        }
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: [server], logger: Self.silent))
        let task = Task {
            do {
                try await group.run()
                bound.continuation.finish()
            } catch {
                bound.continuation.yield(.failure(error))
                throw error
            }
        }
        state.withLock { $0 = .running(group: group, task: task) }
        var reason = "the server stopped before it was listening"
        for await result in bound.stream {
            switch result {
            case .success(let address): return address
            case .failure(let error): reason = "\(error)"
            }
            break
        }
        await stop()
        throw .cannotListen(address: configuration.address, reason: reason)
    }

    /// Hummingbird's and the service group's own logging is off: the listener reports through
    /// `events`, once per request, in the scheduler's log format.
    private static let silent = Logger(label: "pie.webhooks", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Stops accepting connections, lets requests in flight finish, and waits until the server is
    /// down. Safe to call more than once.
    public func stop() async {
        let running = state.withLock { state -> (ServiceGroup, Task<Void, any Error>)? in
            guard case .running(let group, let task) = state else { return nil }
            state = .stopped
            return (group, task)
        }
        guard let (group, task) = running else { return }
        await group.triggerGracefulShutdown()
        _ = await task.result
    }
}

/// The listener could not start.
public enum WebhookListenerError: Error, Sendable, CustomStringConvertible {
    case cannotListen(address: ListenAddress, reason: String)
    case alreadyStarted

    public var description: String {
        switch self {
        case .cannotListen(let address, let reason):
            "the webhook listener could not listen on \(address): \(reason); choose another --listen address or stop what holds it"
        case .alreadyStarted:
            "the webhook listener was already started; make a new one to listen again"
        }
    }
}

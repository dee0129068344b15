import PieAutomations
import PieJSON
import PieMCP
import PieRuntime
import PieSandbox
import PieScheduler
import PieSystem
import Synchronization

/// MCP notifications as triggers for `serve` (docs/mcp.md, "Notifications as triggers"): one
/// connection per (project, server) that automations name, started in its sandbox like any MCP
/// server; each matching notification is queued under its dedup key (`MCPNotificationKey`,
/// `admitNotification`), its params as the run's data, never as instructions. A notification with
/// no key pie can dedup by is dropped, logged and counted.
public final class MCPTriggerSource: TriggerSource {
    public let name = "mcp"
    private let environment: [String: String]
    private let defaultProject: String
    private let sandbox: SandboxServices
    private let log: ServeLog
    private let redactor: SecretRedactor
    private let state = Mutex(State())

    /// Largest params kept as a run's data; larger ones are replaced by their size.
    public static let maximumParamsBytes = 64 << 10

    private struct State {
        var sink: TriggerSink?
        var watchers: [WatchKey: Watcher] = [:]
        var dropped = 0
    }

    struct WatchKey: Hashable {
        var project: String
        var server: String
    }

    /// One server's connection and the automations listening to it.
    final class Watcher: Sendable {
        let connection: MCPServerConnection
        let automations: Mutex<[Automation]>
        let listener: Mutex<Task<Void, Never>?> = Mutex(nil)

        init(connection: MCPServerConnection, automations: [Automation]) {
            self.connection = connection
            self.automations = Mutex(automations)
        }
    }

    public init(environment: [String: String], defaultProject: String, sandbox: SandboxServices, log: ServeLog) {
        (self.environment, self.defaultProject, self.sandbox, self.log) = (environment, defaultProject, sandbox, log)
        redactor = SecretRedactor(environment: environment)
    }

    /// Notifications dropped so far because they carried no dedup key.
    public var droppedCount: Int { state.withLock { $0.dropped } }

    public func start(automations: [Automation], sink: TriggerSink) async throws {
        state.withLock { $0.sink = sink }
        await apply(automations)
    }

    public func reload(automations: [Automation]) async {
        await apply(automations)
    }

    public func stop() async {
        let watchers = state.withLock { state in
            defer { state.watchers = [:] }
            return Array(state.watchers.values)
        }
        for watcher in watchers { await close(watcher) }
    }

    private func apply(_ automations: [Automation]) async {
        var wanted: [WatchKey: [Automation]] = [:]
        for automation in automations where automation.enabled {
            guard case .mcp(let server, _, _) = automation.trigger else { continue }
            let project = AgentRunExecutor.project(of: automation, defaultProject: defaultProject)
            wanted[WatchKey(project: project, server: server), default: []].append(automation)
        }
        let (gone, kept) = state.withLock { state -> ([Watcher], [WatchKey: Watcher]) in
            let gone = state.watchers.filter { wanted[$0.key] == nil }
            for key in gone.keys { state.watchers[key] = nil }
            return (Array(gone.values), state.watchers)
        }
        for watcher in gone { await close(watcher) }
        for (key, listeners) in wanted {
            if let watcher = kept[key] {
                let before = watcher.automations.withLock { current in
                    defer { current = listeners }
                    return Set(current.compactMap(Self.subscription))
                }
                await subscribe(Set(listeners.compactMap(Self.subscription)).subtracting(before), on: watcher, key: key)
            } else if let watcher = await watch(key, automations: listeners) {
                state.withLock { $0.watchers[key] = watcher }
            }
        }
    }

    /// Starts `key`'s server; nil (and a log line naming the automations) when it cannot start.
    private func watch(_ key: WatchKey, automations: [Automation]) async -> Watcher? {
        let names = automations.map(\.id.rawValue).joined(separator: ", ")
        let connection: MCPServerConnection
        do {
            // Nobody is here to trust a project file: untrusted is an error.
            let configuration = try MCPSetup.configuration(projectRoot: key.project, environment: environment, untrusted: .fail)
            guard let server = configuration.servers.first(where: { $0.name == key.server }) else {
                log.log(
                    .error, "mcp_trigger_not_started",
                    "\(names): no MCP server named '\(key.server)' in \(configuration.userFile) or \(key.project)/.pie/mcp.toml")
                return nil
            }
            connection = try MCPSetup.launcher(projectRoot: key.project, environment: environment, sandbox: sandbox)
                .connection(for: server)
            try await connection.start()
        } catch let error as MCPConfigError {
            log.log(.error, "mcp_trigger_not_started", "\(names): \(error.message)")
            return nil
        } catch {
            log.log(.error, "mcp_trigger_not_started", "\(names): MCP server '\(key.server)' did not start: \(error)")
            return nil
        }
        let watcher = Watcher(connection: connection, automations: automations)
        let log = self.log
        await connection.observeRestarts { restarts, refused in
            log.log(
                .warning, "mcp_server_restarted",
                "MCP server '\(key.server)' died and was started again (\(restarts) so far); its subscriptions were renewed",
                [("server", .string(key.server)), ("restarts", .integer(restarts))])
            for failure in refused {
                log.log(.warning, "mcp_subscribe_failed", "MCP server '\(key.server)' refused to renew a subscription: \(failure)")
            }
        }
        await subscribe(Set(automations.compactMap(Self.subscription)), on: watcher, key: key)
        let listener = Task { [weak self] in
            for await notification in connection.notifications {
                self?.deliver(notification, from: key, to: watcher)
            }
        }
        watcher.listener.withLock { $0 = listener }
        log.log(.info, "mcp_trigger_started", "MCP server '\(key.server)' watched for \(names)")
        return watcher
    }

    private func subscribe(_ uris: Set<String>, on watcher: Watcher, key: WatchKey) async {
        for uri in uris.sorted() {
            do {
                // Through the connection, which renews it on a server restarted after it died.
                try await watcher.connection.subscribe(uri)
            } catch {
                log.log(.warning, "mcp_subscribe_failed", "MCP server '\(key.server)' refused a subscription to \(uri): \(error.message)")
            }
        }
    }

    private static func subscription(_ automation: Automation) -> String? {
        if case .mcp(_, _, let uri?) = automation.trigger { return uri }
        return nil
    }

    /// Queues a run for each automation the notification is for.
    func deliver(_ notification: MCPNotification, from key: WatchKey, to watcher: Watcher) {
        guard let sink = state.withLock({ $0.sink }) else { return }
        let listeners = watcher.automations.withLock { $0 }.filter { automation in
            guard case .mcp(_, let method, let uri) = automation.trigger, method == notification.method else { return false }
            return uri == nil || notification.params?["uri"]?.stringValue == uri
        }
        guard !listeners.isEmpty else { return }
        switch MCPNotificationKey.key(server: key.server, method: notification.method, params: notification.params) {
        case .dropped(let reason):
            let count = state.withLock { state in
                state.dropped += 1
                return state.dropped
            }
            log.log(
                .warning, "mcp_notification_dropped", "MCP server '\(key.server)': \(reason) (\(count) dropped so far)",
                [("server", .string(key.server)), ("method", .string(notification.method)), ("dropped", .integer(count))])
        case .key(let dedupKey):
            let body = redactor.redact(JSONWriter.string(payload(notification, server: key.server)))
            for automation in listeners {
                do {
                    let admission = try sink.admitNotification(automation: automation, dedupKey: dedupKey, body: body)
                    log.log(
                        .info, "trigger_fired", "\(automation.id): \(notification.method) from '\(key.server)' \(admission)",
                        [("automation", .string(automation.id.rawValue)), ("dedup_key", .string(dedupKey))])
                } catch {
                    log.log(.error, "trigger_not_queued", "\(automation.id): the MCP notification's run was not queued: \(error)")
                }
            }
        }
    }

    /// What the run sees, inside its fenced data block: where it came from and the params, or
    /// only their size when they are too large to keep.
    func payload(_ notification: MCPNotification, server: String) -> JSONValue {
        var members: [(String, JSONValue)] = [("server", .string(server)), ("method", .string(notification.method))]
        if let params = notification.params {
            let size = JSONWriter.bytes(params).count
            members.append(
                size <= Self.maximumParamsBytes
                    ? ("params", params)
                    : ("params_omitted", .string("\(size) bytes, over the \(Self.maximumParamsBytes)-byte limit")))
        }
        return .object(JSONObject(members))
    }

    private func close(_ watcher: Watcher) async {
        watcher.listener.withLock { $0 }?.cancel()
        await watcher.connection.close()
    }
}

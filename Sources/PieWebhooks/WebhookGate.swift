import PieJSON
import PieAutomations

/// The listener's decisions, apart from HTTP plumbing: which route, which method, the signature,
/// the sink, and the counters and events every outcome produces. Nothing reaches the sink that
/// did not verify, and every path out of `deliver` records exactly one outcome.
struct WebhookGate: Sendable {
    let routes: WebhookRouteTable
    let sink: any WebhookSink
    let metrics: (any SchedulerMetricsSource)?
    let counters: DeliveryCounters
    let clock: any WebhookClock
    let configuration: WebhookListenerConfiguration
    let events: @Sendable (WebhookEvent) -> Void

    /// What the path and method alone decide: a final reply, or the route whose body to read.
    enum Preflight {
        case reply(WebhookReply)
        case metrics
        case deliver(WebhookRoute)
    }

    func preflight(method: String, path: String) -> Preflight {
        if path == WebhookRouteTable.metricsPath {
            guard method == "GET" else {
                var reply = finish(.methodNotAllowed, nil, method, path, "use GET for \(path)")
                reply.allow = "GET"
                return .reply(reply)
            }
            return .metrics
        }
        guard let route = routes.route(for: path) else {
            return .reply(finish(.notFound, nil, method, path, "no webhook automation serves \(WebhookEvent.shown(path))"))
        }
        let id = route.endpoint.automationID
        guard method == "POST" else {
            var reply = finish(.methodNotAllowed, id, method, path, "deliveries to \(path) are POST requests")
            reply.allow = "POST"
            return .reply(reply)
        }
        guard route.secret != nil else {
            return .reply(
                finish(.refused, id, method, path, "\(id) has no secret (\(route.endpoint.secretEnv) was not set when the listener started)"))
        }
        return .deliver(route)
    }

    /// The body was larger than the cap.
    func tooLarge(_ route: WebhookRoute, method: String, path: String) -> WebhookReply {
        var reply = finish(
            .tooLarge, route.endpoint.automationID, method, path, "the body is larger than \(configuration.bodyLimit) bytes")
        reply.closeConnection = true
        return reply
    }

    /// Verifies and admits a delivery whose body was read in full.
    func deliver(_ route: WebhookRoute, method: String, path: String, headers: WebhookHeaders, body: [UInt8]) async -> WebhookReply {
        let id = route.endpoint.automationID
        guard let secret = route.secret else {
            return finish(.refused, id, method, path, "\(id) has no secret")
        }
        let now = clock.now()
        let signature: VerifiedSignature
        do {
            signature = try route.verifier.verify(SignedDelivery(headers: headers, body: body), secret: secret, now: now)
        } catch .cryptoUnavailable(let reason) {
            return finish(.failed, id, method, path, "the signature could not be checked: \(reason)")
        } catch {
            return finish(.unauthorized, id, method, path, error.description)
        }
        if route.endpoint.signature == .slackV0, let challenge = SlackURLVerification.challenge(in: body) {
            counters.record(.challenge, automation: id)
            events(WebhookEvent(automationID: id, method: method, path: path, outcome: .challenge, detail: nil, runID: nil))
            return .json(DeliveryOutcome.challenge.status, [("challenge", .string(challenge))])
        }
        let delivery = VerifiedDelivery(
            automationID: id, replayKeys: ReplayKey.keys(of: signature), replayWindow: configuration.replayWindow,
            body: body, receivedAt: now, debounce: DebounceWindow(route.endpoint.debounce))
        let admission: WebhookAdmission
        do {
            admission = try await sink.admit(delivery)
        } catch {
            return finish(.failed, id, method, path, "the delivery could not be queued (\(error)); nothing was queued, send it again")
        }
        switch admission {
        case .queued(let runID), .coalesced(let runID):
            let outcome: DeliveryOutcome = if case .queued = admission { .queued } else { .coalesced }
            counters.record(outcome, automation: id)
            events(WebhookEvent(automationID: id, method: method, path: path, outcome: outcome, detail: nil, runID: runID))
            return .json(
                outcome.status,
                [("automation", .string(id.rawValue)), ("run_id", .string(runID)), ("outcome", .string(outcome.rawValue))])
        case .replayed:
            return finish(.replayed, id, method, path, "this delivery was already accepted; nothing was queued")
        }
    }

    /// The metrics page; a scheduler that cannot answer still leaves the listener's counters.
    func metricsPage() async -> WebhookReply {
        var snapshot: SchedulerMetricsSnapshot?
        if let metrics {
            do {
                snapshot = try await metrics.metricsSnapshot()
            } catch {
                events(
                    WebhookEvent(
                        automationID: nil, method: "GET", path: WebhookRouteTable.metricsPath, outcome: .failed,
                        detail: "the scheduler's metrics could not be read: \(error)", runID: nil))
            }
        }
        let text = PrometheusText.render(snapshot: snapshot, deliveries: counters.snapshot())
        return WebhookReply(status: 200, contentType: PrometheusText.contentType, body: Array(text.utf8))
    }

    /// Counts and reports a refusal, and builds its reply.
    private func finish(
        _ outcome: DeliveryOutcome, _ id: AutomationID?, _ method: String, _ path: String, _ detail: String
    ) -> WebhookReply {
        counters.record(outcome, automation: id)
        events(
            WebhookEvent(
                automationID: id, method: String(method.prefix(16)), path: WebhookEvent.shown(path), outcome: outcome,
                detail: detail, runID: nil))
        return .error(outcome, detail)
    }
}

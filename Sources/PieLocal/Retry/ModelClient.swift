/// Runs a turn against a model with retries and fallbacks. This is what the agent loop calls.
///
/// Events of a failed attempt may already have been delivered; the `.retrying` or `.fallback`
/// event that follows tells the caller to discard them. The turn always ends with exactly one
/// `.stop` or `.error` event.
public struct ModelClient: Sendable {
    public var transport: any HTTPTransport
    public var retryPolicy: RetryPolicy
    public var clock: any RetryClock
    /// Values in [0, 1) for jitter; injectable for deterministic tests.
    public var random: @Sendable () -> Double
    public var makeProvider: @Sendable (WireAPI, any HTTPTransport) -> any Provider

    public init(
        transport: any HTTPTransport, retryPolicy: RetryPolicy = RetryPolicy(),
        clock: any RetryClock = SystemRetryClock(), random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
        makeProvider: @escaping @Sendable (WireAPI, any HTTPTransport) -> any Provider = ProviderFactory.provider
    ) {
        self.transport = transport
        self.retryPolicy = retryPolicy
        self.clock = clock
        self.random = random
        self.makeProvider = makeProvider
    }

    /// - Parameter apiKey: the key for a model (`APIKeys.key(for:)`); `nil` is fine for local servers.
    @discardableResult
    public func run(
        _ request: ChatRequest, chain: FallbackChain, apiKey: @Sendable (ModelDescriptor) -> String?,
        onEvent: @escaping @Sendable (StreamEvent) -> Void
    ) async -> TurnReport {
        var report = TurnReport()
        var lastError = ProviderError.cancelled
        for (position, model) in chain.models.enumerated() {
            if position > 0 {
                let fallback = TurnReport.Fallback(
                    from: chain.models[position - 1].qualifiedID, to: model.qualifiedID, reason: lastError)
                report.fallbacks.append(fallback)
                onEvent(.fallback(from: fallback.from, to: fallback.to, reason: lastError))
            }
            let outcome = await runWithRetries(request, model: model, apiKey: apiKey(model), report: &report, onEvent: onEvent)
            if case .failed(let error, let canFallBack) = outcome {
                lastError = error
                if !canFallBack { break }
                continue
            }
            report.answeredBy = model.qualifiedID
            return report
        }
        report.error = lastError
        onEvent(.error(lastError))
        return report
    }

    private enum Outcome {
        case answered
        /// `canFallBack`: the failure was retryable, so another model may succeed.
        case failed(ProviderError, canFallBack: Bool)
    }

    private func runWithRetries(
        _ request: ChatRequest, model: ModelDescriptor, apiKey: String?, report: inout TurnReport,
        onEvent: @escaping @Sendable (StreamEvent) -> Void
    ) async -> Outcome {
        if apiKey == nil && !model.isLocal {
            let variables = APIKeys.variables(for: model.provider).joined(separator: " or ")
            let error = ProviderError.missingAPIKey(
                provider: model.provider, hint: "Set \(variables), or run `pie login \(model.provider) KEY`.")
            return .failed(error, canFallBack: true)
        }
        if let notice = ThinkingResolution(requested: request.thinking, model: model).notice {
            onEvent(.notice(notice))
        }
        let provider = makeProvider(model.api, transport)
        let start = clock.now()
        var retries = 0
        while true {
            if Task.isCancelled { return .failed(.cancelled, canFallBack: false) }
            let error: ProviderError
            do {
                try await provider.stream(request, model: model, apiKey: apiKey, onEvent: onEvent)
                return .answered
            } catch let failure as ProviderError {
                error = failure
            } catch is CancellationError {
                error = .cancelled
            } catch let other {
                error = .malformedStream(detail: String(describing: other))
            }
            if error == .cancelled || Task.isCancelled { return .failed(.cancelled, canFallBack: false) }
            report.failures.append(TurnReport.Failure(model: model.qualifiedID, attempt: retries + 1, error: error))
            let elapsed = Self.milliseconds(clock.now() - start)
            switch retryPolicy.decide(after: error, retriesSoFar: retries, elapsedMilliseconds: elapsed, unitRandom: random()) {
            case .giveUp(let final):
                return .failed(final, canFallBack: error.isRetryable)
            case .retry(let delay):
                retries += 1
                onEvent(.retrying(attempt: retries, delayMilliseconds: delay, reason: error))
                do {
                    try await clock.sleep(for: .milliseconds(delay))
                } catch {
                    return .failed(.cancelled, canFallBack: false)
                }
            }
        }
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}

extension ModelClient {
    /// The same turn as an async sequence, for callers that prefer `for await`. Ending the
    /// iteration early (or cancelling the consuming task) cancels the turn and its transfer.
    public func events(
        _ request: ChatRequest, chain: FallbackChain, apiKey: @escaping @Sendable (ModelDescriptor) -> String?
    ) -> AsyncStream<StreamEvent> {
        AsyncStream { continuation in
            let turn = Task {
                await run(request, chain: chain, apiKey: apiKey) { continuation.yield($0) }
                continuation.finish()
            }
            continuation.onTermination = { _ in turn.cancel() }
        }
    }
}

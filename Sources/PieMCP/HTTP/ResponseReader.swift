import PieJSON
import PieLocal
import Synchronization

/// Reads one HTTP response of the MCP endpoint as libcurl delivers it: decides from the status and
/// `Content-Type` what the body is, hands each JSON-RPC message of an SSE body on as it arrives,
/// collects a JSON body (up to the size cap), and stops the transfer as soon as the responses it
/// waits for have arrived (a server need not close a POST's stream after its response).
///
/// The callbacks run on the transfer's own thread; messages are handed on outside the lock.
final class ResponseReader: Sendable {
    /// What the request may be answered with.
    enum Expectation: Sendable {
        /// A notification or response was posted: 202 and no body; a body is ignored.
        case acknowledgement
        /// A POST carrying requests: one JSON value or an SSE stream.
        case jsonOrStream
        /// A GET: an SSE stream only.
        case stream
    }

    enum Body: Sendable, Equatable {
        /// Nothing read yet, or an answer whose body is of no interest (a notification's 202).
        case none
        case json
        case stream
        /// A 2xx answer with a type the expectation does not allow, as the server named it.
        case unexpectedType(String)
        /// A non-2xx answer; its start is kept for the error message.
        case failure
        /// The caller refused the answer from its head (a session id it cannot use): the body is
        /// not read, so nothing of it reaches the client.
        case refused
    }

    /// What the response amounted to, once the transfer has returned.
    struct Outcome: Sendable {
        var status = 0
        var headers: [String: String] = [:]
        var body = Body.none
        /// The JSON body, or the start of an error body.
        var bytes: [UInt8] = []
        /// The body (or one SSE event) passed the size cap; reading stopped.
        var tooLarge = false
        /// The stream's last event ID as of its last complete event (`Last-Event-ID` to resume).
        var lastEventID = ""
        var retryMilliseconds: Int?
        /// SSE events dispatched (every event with a `data` field, even an empty one).
        var events = 0
        /// Awaited request ids whose responses have not arrived.
        var unanswered: Set<JSONValue> = []
    }

    private struct State {
        var outcome = Outcome()
        var decoder = SSEDecoder()
        /// Stream bytes since the last complete event, for the per-event cap.
        var pendingEventBytes = 0
    }

    /// The most of an error body kept for the message.
    static let errorBodyLimit = 4_096

    private let expectation: Expectation
    private let limit: Int
    private let deliver: @Sendable (MCPTransportEvent) -> Void
    private let describeSource: String
    private let state: Mutex<State>

    /// - Parameters:
    ///   - awaiting: request ids whose responses end the reading.
    ///   - resumingFrom: the event ID the stream continues from (a `Last-Event-ID` resumption).
    ///   - source: how malformed events name where they came from ("POST https://…").
    init(
        expectation: Expectation, awaiting: Set<JSONValue>, limit: Int, resumingFrom: String = "", source: String,
        deliver: @escaping @Sendable (MCPTransportEvent) -> Void
    ) {
        self.expectation = expectation
        self.limit = limit
        self.deliver = deliver
        describeSource = source
        var initial = State()
        initial.outcome.unanswered = awaiting
        initial.outcome.lastEventID = resumingFrom
        state = Mutex(initial)
    }

    var outcome: Outcome { state.withLock { $0.outcome } }

    /// Stops the body from being read or handed on (called from the head callback).
    func refuse() {
        state.withLock { $0.outcome.body = .refused }
    }

    func receiveHead(_ head: HTTPResponseHead) {
        state.withLock { state in
            state.outcome.status = head.status
            state.outcome.headers = head.headers
            guard (200..<300).contains(head.status) else {
                state.outcome.body = .failure
                return
            }
            if case .acknowledgement = expectation { return }
            let type = Self.mediaType(head.headers["content-type"])
            switch (type, expectation) {
            case ("text/event-stream", _): state.outcome.body = .stream
            case ("application/json", .jsonOrStream): state.outcome.body = .json
            case ("", _) where head.status == 202 || head.status == 204: state.outcome.body = .none
            default: state.outcome.body = .unexpectedType(type.isEmpty ? "(none)" : type)
            }
        }
    }

    /// Returns false to stop the transfer: everything awaited arrived, or the body is unusable.
    func receiveBody(_ chunk: UnsafeRawBufferPointer) -> Bool {
        var completed: [SSEEvent] = []
        let keepReading = state.withLock { state -> Bool in
            switch state.outcome.body {
            case .none, .unexpectedType, .refused:
                // Nothing in this body is wanted: a notification's 202 with a body (or an SSE
                // stream a server opened anyway) must not hold `send` open.
                return false
            case .failure:
                let room = Self.errorBodyLimit - state.outcome.bytes.count
                state.outcome.bytes.append(contentsOf: chunk.prefix(max(0, room)))
                return room > chunk.count
            case .json:
                guard state.outcome.bytes.count + chunk.count <= limit else {
                    state.outcome.tooLarge = true
                    return false
                }
                state.outcome.bytes.append(contentsOf: chunk)
                return true
            case .stream:
                state.decoder.feed(chunk) { completed.append($0) }
                state.outcome.retryMilliseconds = state.decoder.retryMilliseconds
                if completed.isEmpty {
                    state.pendingEventBytes += chunk.count
                } else {
                    state.pendingEventBytes = 0
                    state.outcome.events += completed.count
                }
                state.outcome.lastEventID = state.decoder.lastEventID
                if state.pendingEventBytes > limit {
                    state.outcome.tooLarge = true
                    return false
                }
                return true
            }
        }
        guard !completed.isEmpty else { return keepReading }
        var answered: [JSONValue] = []
        for event in completed {
            answered += handOn(event)
        }
        if answered.isEmpty { return keepReading }
        return state.withLock { state in
            let awaited = !state.outcome.unanswered.isEmpty
            for id in answered { state.outcome.unanswered.remove(id) }
            return keepReading && !(awaited && state.outcome.unanswered.isEmpty)
        }
    }

    /// Parses the collected JSON body and hands its messages on; returns the ids it answered.
    /// - Throws: the body is not JSON.
    func deliverJSONBody() throws(JSONParseError) {
        let bytes = outcome.bytes
        let value = try JSONParser.parse(bytes)
        var answered: [JSONValue] = []
        for message in Self.messages(in: value) {
            if let id = OutgoingMessage.responseID(of: message) { answered.append(id) }
            deliver(.message(message))
        }
        state.withLock { state in
            for id in answered { state.outcome.unanswered.remove(id) }
        }
    }

    /// One complete SSE event: a JSON-RPC message (or a batch of them) in `data`. Events of
    /// other types are not MCP's and are skipped, as SSE clients skip types they do not handle;
    /// an empty `data` is a priming event that only carries an id.
    private func handOn(_ event: SSEEvent) -> [JSONValue] {
        guard event.type == "message", !event.data.isEmpty else { return [] }
        let value: JSONValue
        do {
            value = try JSONParser.parse(event.data)
        } catch {
            let start = String(decoding: event.data.prefix(120), as: UTF8.self)
            deliver(.malformed("\(describeSource) sent an SSE event whose data is not JSON (\(error)): \(start)"))
            return []
        }
        var answered: [JSONValue] = []
        for message in Self.messages(in: value) {
            if let id = OutgoingMessage.responseID(of: message) { answered.append(id) }
            deliver(.message(message))
        }
        return answered
    }

    /// A message, or each message of a batch.
    private static func messages(in value: JSONValue) -> [JSONValue] {
        if case .array(let items) = value { return items }
        return [value]
    }

    /// `text/event-stream; charset=utf-8` → `text/event-stream`.
    static func mediaType(_ header: String?) -> String {
        guard let header else { return "" }
        let type = header.split(separator: ";", maxSplits: 1).first ?? ""
        return String(type.filter { $0 != " " && $0 != "\t" }).lowercased()
    }
}

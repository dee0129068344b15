import PieJSON

/// Assembles streamed tool calls however the server orders the pieces.
///
/// Local servers send argument fragments before the id and name, omit or blank the id, and
/// interleave several calls by index. Calls are keyed by the wire's own key (an index or an
/// output position); a call is announced once its name is known, with its id or, lacking one,
/// a generated id that is stable for the request; buffered arguments are replayed then.
struct ToolCallAssembler: Sendable {
    private struct Pending: Sendable {
        var position: Int
        var id = ""
        var name = ""
        var arguments = ""
        var started = false
        var ended = false
        var partial: JSONValue = .object([:])
        var parsedLength = 0

        /// Re-parses the arguments on every delta while they are small, then only each time
        /// they double, so a tool call carrying a whole file stays linear instead of quadratic.
        mutating func refreshedPartial() -> JSONValue {
            let length = arguments.utf8.count
            if length <= ToolCallAssembler.eagerParseLimit || length >= parsedLength * 2 {
                partial = JSONParser.parseArguments(arguments)
                parsedLength = length
            }
            return partial
        }
    }

    /// Arguments up to this many bytes are re-parsed on every delta.
    static let eagerParseLimit = 4096

    private var calls: [Int: Pending] = [:]
    private var order: [Int] = []
    /// Distinguishes generated ids of different requests.
    private let idSeed: String

    init(idSeed: String) {
        self.idSeed = idSeed
    }

    var isEmpty: Bool { order.isEmpty }

    /// The id a call was announced with, once it has started.
    func startedID(forKey key: Int) -> String? {
        guard let call = calls[key], call.started else { return nil }
        return call.id
    }

    mutating func update(key: Int, id: String?, name: String?, fragment: String?, emit: (StreamEvent) -> Void) {
        // Taken out of the dictionary while edited, so appending to `arguments` does not copy it.
        var call = calls.removeValue(forKey: key) ?? Pending(position: order.count)
        if call.position == order.count { order.append(key) }
        defer { calls[key] = call }
        guard !call.ended else { return }
        if let id, !id.isEmpty, !call.started { call.id = id }
        if let name, !name.isEmpty, !call.started { call.name = name }
        if let fragment, !fragment.isEmpty { call.arguments += fragment }
        if !call.started, !call.name.isEmpty {
            start(&call, emit: emit)
            if !call.arguments.isEmpty {
                emit(.toolCallDelta(index: call.position, fragment: call.arguments, partial: call.refreshedPartial()))
            }
        } else if call.started, let fragment, !fragment.isEmpty {
            emit(.toolCallDelta(index: call.position, fragment: fragment, partial: call.refreshedPartial()))
        }
    }

    /// Ends one call; `finalArguments` replaces the streamed text when the server sends the
    /// complete arguments at the end (OpenAI Responses, Google).
    mutating func end(key: Int, finalArguments: String? = nil, emit: (StreamEvent) -> Void) {
        guard var call = calls[key], !call.ended else { return }
        if let finalArguments, !finalArguments.isEmpty { call.arguments = finalArguments }
        if !call.started { start(&call, emit: emit) }
        call.ended = true
        calls[key] = call
        let toolCall = ToolCall(id: call.id, name: call.name, rawArguments: call.arguments)
        emit(.toolCallEnd(index: call.position, call: toolCall))
    }

    mutating func endAll(emit: (StreamEvent) -> Void) {
        for key in order { end(key: key, emit: emit) }
    }

    private func start(_ call: inout Pending, emit: (StreamEvent) -> Void) {
        if call.id.isEmpty { call.id = Self.generatedID(seed: idSeed, position: call.position) }
        call.started = true
        emit(.toolCallStart(index: call.position, id: call.id, name: call.name))
    }

    /// `call_` plus an FNV-1a hash of the seed and position: the same for a replayed request,
    /// different across requests.
    static func generatedID(seed: String, position: Int) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in seed.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return "call_\(String(repeating: "0", count: max(0, 16 - hex.count)))\(hex)_\(position)"
    }

    static func seed(for body: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in body {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}

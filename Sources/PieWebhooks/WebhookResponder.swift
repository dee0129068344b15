import HTTPTypes
import Hummingbird
import NIOCore

/// Hummingbird's request context for the listener: the default storage plus the connection, which
/// a 413 closes instead of draining an oversized body.
struct WebhookRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        channel = source.channel
    }
}

/// Adapts Hummingbird's requests to the gate: reads at most the body cap, hands over only the
/// headers the route's scheme reads, and turns replies into responses.
struct WebhookResponder: HTTPResponder {
    typealias Context = WebhookRequestContext

    let gate: WebhookGate

    func respond(to request: Request, context: Context) async throws -> Response {
        let method = request.method.rawValue
        let path = request.uri.path
        switch gate.preflight(method: method, path: path) {
        case .reply(let reply):
            return response(reply, channel: context.channel)
        case .metrics:
            return response(await gate.metricsPage(), channel: context.channel)
        case .deliver(let route):
            guard let body = try await readBody(request, limit: gate.configuration.bodyLimit) else {
                return response(gate.tooLarge(route, method: method, path: path), channel: context.channel)
            }
            var headers = WebhookHeaders()
            for name in route.verifier.headerNames {
                guard let field = HTTPField.Name(name) else { continue }
                for value in request.headers[values: field] { headers.append(name: name, value: value) }
            }
            let reply = await gate.deliver(route, method: method, path: path, headers: headers, body: body)
            return response(reply, channel: context.channel)
        }
    }

    /// The whole body, or nil as soon as it is known to exceed `limit` (a Content-Length over it
    /// is refused before a byte is read).
    private func readBody(_ request: Request, limit: Int) async throws -> [UInt8]? {
        if let declared = request.headers[.contentLength], let length = Int(declared), length > limit { return nil }
        var body: [UInt8] = []
        for try await buffer in request.body {
            guard body.count + buffer.readableBytes <= limit else { return nil }
            body.append(contentsOf: buffer.readableBytesView)
        }
        return body
    }

    private func response(_ reply: WebhookReply, channel: any Channel) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = reply.contentType
        if let allow = reply.allow { headers[.allow] = allow }
        let buffer = ByteBuffer(bytes: reply.body)
        guard reply.closeConnection else {
            return Response(status: .init(code: reply.status), headers: headers, body: ResponseBody(byteBuffer: buffer))
        }
        // Hummingbird drains an unread body to keep the connection alive; closing it once the
        // answer is written is what keeps an oversized body from being read at all.
        headers[.connection] = "close"
        let body = ResponseBody(contentLength: buffer.readableBytes) { writer in
            try await writer.write(buffer)
            try await writer.finish(nil)
            try await channel.close()
        }
        return Response(status: .init(code: reply.status), headers: headers, body: body)
    }
}

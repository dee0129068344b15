/// Builders for raw HTTP responses the scripted server replays.
public enum HTTPResponses {
    /// A close-delimited SSE response (how llama-server and most proxies stream).
    public static func sse(_ body: String, status: String = "200 OK", headers: [String] = []) -> String {
        (["HTTP/1.1 \(status)", "Content-Type: text/event-stream", "Cache-Control: no-cache", "Connection: close"]
            + headers).joined(separator: "\r\n") + "\r\n\r\n" + body
    }

    public static func json(_ body: String, status: String = "200 OK", headers: [String] = [], keepAlive: Bool = false) -> String {
        (["HTTP/1.1 \(status)", "Content-Type: application/json", "Content-Length: \(body.utf8.count)",
          keepAlive ? "Connection: keep-alive" : "Connection: close"] + headers).joined(separator: "\r\n")
            + "\r\n\r\n" + body
    }

    /// The head of a chunked SSE response; send `chunk(_:)` pieces and `lastChunk` after it.
    public static let chunkedSSEHead = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"

    public static func chunk(_ text: String) -> String {
        String(text.utf8.count, radix: 16) + "\r\n" + text + "\r\n"
    }

    public static let lastChunk = "0\r\n\r\n"
}

"""A small scripted MCP endpoint on 127.0.0.1 for the failure cases of pie's streamable HTTP
transport: resumption, session expiry, dropped streams, wrong types, huge bodies, silence,
bearer auth, redirects and the server-message GET stream. Not an MCP server: each scenario
answers just enough of the protocol to reach its case.

Usage: scripted_server.py SCENARIO [TOKEN]

Prints `PORT <n>`, then one JSON line per request (method, headers, body) as it arrives.
"""

import json
import select
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SCENARIO = sys.argv[1]
TOKEN = sys.argv[2] if len(sys.argv) > 2 else ""
SESSION = "session-1"
lock = threading.Lock()
output = threading.Lock()
counts = {}


def emit(record):
    """One whole line per record: print() writes the text and its newline separately, so two
    handler threads printing at once could splice their lines."""
    with output:
        sys.stdout.write(json.dumps(record) + "\n")
        sys.stdout.flush()


def count(key):
    with lock:
        counts[key] = counts.get(key, 0) + 1
        return counts[key]


def result(request_id, value):
    return {"jsonrpc": "2.0", "id": request_id, "result": value}


def notification(method, params):
    return {"jsonrpc": "2.0", "method": method, "params": params}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def record(self, body):
        emit({"method": self.command, "path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body})

    def read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        text = self.rfile.read(length).decode() if length else ""
        self.record(text)
        return json.loads(text) if text else None

    # Answers.

    def status(self, code, headers=None, body=b""):
        self.send_response(code)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def json(self, value, headers=None, code=200):
        self.status(code, dict({"Content-Type": "application/json"}, **(headers or {})), json.dumps(value).encode())

    def sse_start(self, headers=None):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()

    def chunk(self, text):
        data = text.encode()
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def sse_end(self):
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def drop(self):
        """Closes the connection mid-body: no last chunk."""
        self.wfile.flush()
        self.connection.shutdown(socket.SHUT_RDWR)
        self.close_connection = True

    def initialize_result(self, message):
        return result(message["id"], {"protocolVersion": "2025-06-18", "capabilities": {}, "serverInfo": {"name": "scripted", "version": "1"}})

    # Methods.

    def do_DELETE(self):
        self.record("")
        self.status(405 if SCENARIO != "delete-ok" else 200)

    def do_GET(self):
        self.record("")
        handler = getattr(self, "get_" + SCENARIO.replace("-", "_"), None)
        if handler is None:
            self.status(405)
        else:
            handler()

    def do_POST(self):
        message = self.read_body()
        if SCENARIO == "auth" and self.headers.get("Authorization") != "Bearer " + TOKEN:
            echoed = {name: value for name, value in self.headers.items() if name.lower().startswith("x-")}
            self.json({"error": "invalid credentials: " + str(self.headers.get("Authorization")), "sent": echoed}, code=401)
            return
        method = message.get("method") if isinstance(message, dict) else None
        if SCENARIO == "silent" and method not in ("initialize", "notifications/initialized", "notifications/cancelled"):
            self.hold(method)
            return
        if SCENARIO == "ack-stream" and method == "notifications/progress":
            self.sse_start()
            try:
                while True:
                    self.chunk(": still here\n\n")
                    time.sleep(0.05)
            except OSError:
                emit({"disconnected": method})
                self.close_connection = True
            return
        if isinstance(message, dict) and message.get("method") == "initialize":
            self.json(self.initialize_result(message), {"Mcp-Session-Id": "bad session" if SCENARIO == "bad-session" else SESSION})
            return
        if isinstance(message, dict) and "id" not in message:
            self.status(202)
            return
        getattr(self, "post_" + SCENARIO.replace("-", "_"))(message)

    # Scenarios: POSTs of requests.

    def post_expiry(self, message):
        self.status(404, {"Content-Type": "text/plain"}, b"no such session")

    def post_resume(self, message):
        self.sse_start()
        self.chunk("retry: 250\nid: e1\ndata: %s\n\n" % json.dumps(notification("notifications/progress", {"progressToken": 1, "progress": 1})))
        self.chunk("id: e2\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/mess")
        self.drop()

    def get_resume(self):
        if self.headers.get("Last-Event-ID") is None:
            self.status(405)
            return
        self.sse_start()
        self.chunk("id: e3\ndata: %s\n\n" % json.dumps(result(1, {"content": [{"type": "text", "text": "resumed"}]})))
        self.sse_end()

    def post_drop(self, message):
        self.sse_start()
        self.chunk("data: %s\n\n" % json.dumps(notification("notifications/progress", {"progressToken": 1, "progress": 1})))
        self.drop()

    def post_wrong_type(self, message):
        self.status(200, {"Content-Type": "text/html"}, b"<html>login</html>")

    def post_huge(self, message):
        padding = "x" * (17 * 1024 * 1024)
        self.json(result(message["id"], {"padding": padding}))

    def post_huge_event(self, message):
        self.sse_start()
        self.chunk("data: {\"padding\": \"")
        for _ in range(64):
            self.chunk("y" * 16384)
        self.sse_end()

    def hold(self, what):
        """Answers nothing; records when the client hangs up (end of file on the socket)."""
        while True:
            readable, _, _ = select.select([self.connection], [], [], 0.05)
            if readable and not self.connection.recv(1, socket.MSG_PEEK):
                emit({"disconnected": what})
                self.close_connection = True
                return

    def post_auth(self, message):
        self.json(result(message["id"], {"tools": []}))

    def post_redirect(self, message):
        self.status(307, {"Location": "/elsewhere"})

    def post_accepted(self, message):
        self.status(202)

    def post_batch(self, message):
        self.json([result(item["id"], {"n": item["id"]}) for item in message if "id" in item])

    def post_not_json(self, message):
        self.status(200, {"Content-Type": "application/json"}, b"{\"jsonrpc\": \"2.0\", \"id\": 1, ")

    def post_stream(self, message):
        self.json(result(message["id"], {}))

    post_stream_fails = post_stream
    post_hold = post_stream
    post_delete_ok = post_stream

    # Scenarios: the server-message GET stream.

    def get_stream(self):
        number = count("get")
        if number == 1:
            self.sse_start()
            self.chunk("retry: 140\nid: g1\ndata: %s\n\n" % json.dumps(notification("notifications/tools/list_changed", {})))
            self.sse_end()
        elif number == 2:
            self.sse_start()
            self.chunk("id: g2\ndata: %s\n\n" % json.dumps(notification("notifications/resources/updated", {"uri": "file:///a"})))
            self.chunk("data: not json\n\n")
            self.sse_end()
        else:
            self.status(405)

    def get_get_expiry(self):
        self.status(404, {"Content-Type": "text/plain"}, b"session gone")

    post_get_expiry = post_stream

    def get_stream_fails(self):
        self.status(503, {"Content-Type": "text/plain"}, b"busy")

    def get_hold(self):
        self.sse_start()
        self.chunk(": open\n\n")
        try:
            while True:
                time.sleep(0.05)
                self.chunk(": ping\n\n")
        except OSError:
            pass

    get_delete_ok = get_hold


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(f"PORT {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()

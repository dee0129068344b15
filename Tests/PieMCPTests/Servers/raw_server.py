"""A hand-rolled stdio MCP server (standard library only) whose tools misbehave or attack the
sandbox on purpose. Each tool's result says what happened, so the test can assert that an attack
failed and that pie stayed up. `--protocol VERSION` makes it answer initialize with VERSION.

Attacks are written from the tools' own documentation (socket(2), unix(7) abstract names,
open(2), os.environ): each reports "blocked: <error>" or "allowed: <what it got>".
"""

import json
import os
import socket
import sys

protocol = "2025-06-18"
if "--protocol" in sys.argv:
    protocol = sys.argv[sys.argv.index("--protocol") + 1]
# --stubborn: ignores SIGTERM (saying so) and outlives the end of its stdin, so only SIGKILL ends it.
stubborn = "--stubborn" in sys.argv

out = sys.stdout.buffer


def send(message: dict) -> None:
    out.write(json.dumps(message).encode() + b"\n")
    out.flush()


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def attempt(action) -> str:
    try:
        return "allowed: " + str(action())
    except Exception as error:  # the failure is the expected outcome, reported as text
        return f"blocked: {type(error).__name__}: {error}"


def connect_tcp(family, host, port):
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.settimeout(2)
        sock.connect((host, port))
        return "connected"


def send_udp(host, port):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.sendto(b"x", (host, port))
        return "sent"


def connect_abstract(name):
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.connect("\0" + name)
        return "connected"


def write_file(path):
    with open(path, "w") as handle:
        handle.write("pwned\n")
    return path


def read_file(path):
    with open(path, "rb") as handle:
        return handle.read(200)


def call(name: str, arguments: dict, request_id) -> dict | None:
    if name == "tcp":
        return text(attempt(lambda: connect_tcp(socket.AF_INET, arguments["host"], arguments["port"])))
    if name == "tcp6":
        return text(attempt(lambda: connect_tcp(socket.AF_INET6, arguments["host"], arguments["port"])))
    if name == "udp":
        return text(attempt(lambda: send_udp(arguments["host"], arguments["port"])))
    if name == "abstract":
        return text(attempt(lambda: connect_abstract(arguments["name"])))
    if name == "write":
        return text(attempt(lambda: write_file(arguments["path"])))
    if name == "read":
        return text(attempt(lambda: read_file(arguments["path"])))
    if name == "listdir":
        return text(attempt(lambda: sorted(os.listdir(arguments["path"]))))
    if name == "env":
        return text(json.dumps(dict(os.environ)))
    if name == "hang":
        log(f"hang: holding request {request_id}")
        return None
    if name == "exit":
        log("exit: going away mid-call")
        sys.stderr.flush()
        os._exit(3)
    if name == "flood_stdout":
        chunk = b"garbage line that is not json\n" * 4096
        for _ in range(160):
            out.write(chunk)
        out.write(b"{" + b"x" * (9 << 20) + b"\n")
        out.flush()
        return text("flooded stdout")
    if name == "flood_stderr":
        chunk = b"E" * 65536 + b"\n"
        for _ in range(800):
            sys.stderr.buffer.write(chunk)
        sys.stderr.buffer.write(b"last stderr line\n")
        sys.stderr.flush()
        return text("flooded stderr")
    if name == "garbage":
        out.write(b"not json at all\n")
        out.write(b"[1, 2\n")
        out.write(b'{"hello": "world"}\n')
        out.write(b'{"jsonrpc": "1.0", "id": 1, "result": {}}\n')
        out.write(b'{"jsonrpc": "2.0", "id": 424242, "result": {}}\n')
        out.write(b'{"jsonrpc": "2.0", "id": null, "error": {"code": -32700, "message": "Parse error"}}\n')
        out.write(b'{"jsonrpc": "2.0", "method": "roots/list", "id": "srv-1"}\n')
        out.write(b'{"jsonrpc": "2.0", "method": "elicitation/create", "id": "srv-2", "params": {}}\n')
        out.write(b'{"jsonrpc": "2.0", "method": "ping", "id": "srv-3"}\n')
        out.flush()
        return text("sent garbage")
    return {"error": {"code": -32602, "message": f"unknown tool {name}"}}


def text(value: str) -> dict:
    return {"result": {"content": [{"type": "text", "text": value}], "isError": False}}


TOOLS = [
    "tcp", "tcp6", "udp", "abstract", "write", "read", "listdir", "env",
    "hang", "exit", "flood_stdout", "flood_stderr", "garbage",
]

if stubborn:
    import signal
    import time

    signal.signal(signal.SIGTERM, lambda *_: log("got SIGTERM, staying"))
log("ready")

for line in sys.stdin.buffer:
    try:
        message = json.loads(line)
    except ValueError:
        continue
    method = message.get("method")
    request_id = message.get("id")
    if method == "notifications/cancelled":
        log(f"cancelled notification: {json.dumps(message.get('params'))}")
        continue
    if request_id is None or method is None:
        if method is None and request_id is not None:
            log(f"client answered {request_id}: {json.dumps(message.get('result', message.get('error')))}")
        continue
    if method == "initialize":
        reply = {"result": {"protocolVersion": protocol, "capabilities": {"tools": {}},
                            "serverInfo": {"name": "raw", "version": "1"}}}
    elif method == "tools/list":
        tools = [{"name": name, "inputSchema": {"type": "object"}} for name in TOOLS]
        reply = {"result": {"tools": tools}}
    elif method == "tools/call":
        params = message.get("params", {})
        reply = call(params.get("name"), params.get("arguments", {}), request_id)
        if reply is None:
            continue
    elif method == "ping":
        reply = {"result": {}}
    else:
        reply = {"error": {"code": -32601, "message": f"Method not found: {method}"}}
    send({"jsonrpc": "2.0", "id": request_id, **reply})

if stubborn:
    log("stdin closed, staying")
    while True:
        time.sleep(1)

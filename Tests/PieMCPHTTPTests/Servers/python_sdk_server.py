"""An MCP server built with the official Python SDK (`mcp` on PyPI, pinned in
scripts/install-deps.sh), served over streamable HTTP on 127.0.0.1 for pie's transport tests.

Usage: python_sdk_server.py [--json] [--stateless] [--resumable RETRY_MS]

  --json         answer POSTs with application/json instead of SSE (json_response=True)
  --stateless    no sessions: no Mcp-Session-Id, every request stands alone (stateless_http=True)
  --resumable N  keep an in-memory event store and send `retry: N` in priming events, so a
                 tool can close its stream and the client must resume it with Last-Event-ID

Prints `PORT <n>` once listening, then one JSON line per HTTP request as its response starts
(method, status, the MCP headers it carried and the session id it was given), so the test can
check what actually crossed the wire.
"""

import json
import socket
import sys
import warnings

import anyio
import uvicorn
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.streamable_http import EventStore

warnings.simplefilter("ignore")

server = MCPServer("pie-http-oracle")


@server.tool()
def echo(text: str) -> str:
    """Returns its argument."""
    return text


@server.tool()
async def steps(ctx: Context) -> str:
    """Logs and reports progress before its result: messages on the POST's SSE stream."""
    await ctx.info("step one")
    await ctx.report_progress(1, 2, "half way")
    return "steps done"


@server.tool()
async def announce(uri: str, ctx: Context) -> str:
    """Sends notifications/resources/updated unrelated to the request: the GET stream's job."""
    await ctx.session.send_resource_updated(uri)
    return "announced"


@server.tool()
async def ping_client(ctx: Context) -> str:
    """Sends the client a ping request (over the GET stream) and waits for its answer."""
    await ctx.session.send_ping()
    return "client answered"


@server.tool()
async def interrupted(ctx: Context) -> str:
    """Logs, closes its own SSE connection (2025-11-25 polling), logs again and answers."""
    await ctx.info("before the break")
    await ctx.close_sse_stream()
    await anyio.sleep(0.05)
    await ctx.info("after the break")
    return "resumed"


class MemoryEventStore(EventStore):
    """Every event kept, ids `<stream>/<n>`, replayed per stream after a Last-Event-ID."""

    def __init__(self):
        self.events = []

    async def store_event(self, stream_id, message):
        event_id = f"{stream_id}/{len(self.events)}"
        self.events.append((event_id, stream_id, message))
        return event_id

    async def replay_events_after(self, last_event_id, send_callback):
        from mcp.server.streamable_http import EventMessage

        index = next((i for i, event in enumerate(self.events) if event[0] == last_event_id), None)
        if index is None:
            return None
        stream_id = self.events[index][1]
        for event_id, stream, message in self.events[index + 1 :]:
            if stream == stream_id and message is not None:
                await send_callback(EventMessage(message, event_id))
        return stream_id


class Recorder:
    """ASGI middleware printing one JSON line per request as its response starts."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}

        async def recording_send(message):
            if message["type"] == "http.response.start":
                response = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in message.get("headers", [])}
                record = {
                    "method": scope["method"],
                    "status": message["status"],
                    "session": request.get("mcp-session-id"),
                    "version": request.get("mcp-protocol-version"),
                    "lastEventID": request.get("last-event-id"),
                    "accept": request.get("accept"),
                    "assignedSession": response.get("mcp-session-id"),
                    "contentType": response.get("content-type"),
                }
                # One write per line, so records never splice.
                sys.stdout.write(json.dumps(record) + "\n")
                sys.stdout.flush()
            await send(message)

        await self.app(scope, receive, recording_send)


def main():
    json_response = "--json" in sys.argv
    retry = None
    if "--resumable" in sys.argv:
        retry = int(sys.argv[sys.argv.index("--resumable") + 1])
    app = server.streamable_http_app(
        json_response=json_response,
        stateless_http="--stateless" in sys.argv,
        event_store=MemoryEventStore() if retry is not None else None,
        retry_interval=retry,
    )
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)
    print(f"PORT {listener.getsockname()[1]}", flush=True)
    config = uvicorn.Config(Recorder(app), log_level="warning", lifespan="on")
    uvicorn.Server(config).run(sockets=[listener])


if __name__ == "__main__":
    main()

"""An MCP server built on the official Python SDK (`mcp` 2.x, lowlevel `Server`), for what
mcp-server-time does not do: paginated lists, progress, a slow tool to cancel, every content block
type, structured content and tool errors, resources with subscribe, prompts, list_changed and
custom notifications, and server-to-client requests pie must refuse (sampling) or answer (ping).

It writes what it observes (cancellations, subscriptions) to stderr, where the client's bounded
stderr ring shows it to the test.
"""

import sys

import anyio
import mcp.types as types
from mcp.server.lowlevel.server import NotificationOptions, Server
from mcp.server.stdio import stdio_server

PAGE = 2
subscribed: set[str] = set()
extra_tools: list[types.Tool] = []


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def schema(**properties) -> dict:
    return {"type": "object", "properties": properties}


BASE_TOOLS = [
    types.Tool(name="echo", description="Echoes its text", input_schema=schema(text={"type": "string"})),
    types.Tool(name="progress", description="Reports three progress steps", input_schema=schema()),
    types.Tool(name="slow", description="Sleeps until cancelled", input_schema=schema()),
    types.Tool(name="blocks", description="Returns every content block type", input_schema=schema()),
    types.Tool(name="fails", description="A tool error with structured content", input_schema=schema()),
    types.Tool(name="add_tool", description="Adds a tool and says so", input_schema=schema()),
    types.Tool(name="touch", description="Updates a resource and sends a custom notification", input_schema=schema(uri={"type": "string"})),
    types.Tool(name="sample", description="Asks the client for sampling", input_schema=schema()),
    types.Tool(name="ping_client", description="Pings the client", input_schema=schema()),
]

RESOURCES = [
    types.Resource(uri=f"memo://note/{n}", name=f"note {n}", mime_type="text/plain") for n in range(5)
]

PROMPTS = [
    types.Prompt(
        name="review",
        description="Review a file",
        arguments=[types.PromptArgument(name="path", description="file to review", required=True)],
    ),
    types.Prompt(name="hello", description="Say hello"),
]


def paginate(items: list, params) -> tuple[list, str | None]:
    cursor = params.cursor if params is not None and params.cursor else "0"
    start = int(cursor)
    page = items[start : start + PAGE]
    following = start + PAGE
    return page, (str(following) if following < len(items) else None)


async def list_tools(ctx, params):
    page, cursor = paginate(BASE_TOOLS + extra_tools, params)
    return types.ListToolsResult(tools=page, next_cursor=cursor)


async def call_tool(ctx, params):
    name = params.name
    arguments = params.arguments or {}
    if name == "echo":
        return types.CallToolResult(content=[types.TextContent(type="text", text=arguments.get("text", ""))])
    if name == "progress":
        for step in range(1, 4):
            await ctx.session.report_progress(step, 3, f"step {step}")
        return types.CallToolResult(content=[types.TextContent(type="text", text="done")])
    if name == "slow":
        log("slow: started")
        try:
            await anyio.sleep(3600)
        except anyio.get_cancelled_exc_class():
            log("slow: cancelled")
            raise
        return types.CallToolResult(content=[types.TextContent(type="text", text="finished")])
    if name == "blocks":
        return types.CallToolResult(
            content=[
                types.TextContent(type="text", text="hello"),
                types.ImageContent(type="image", data="aW1n", mime_type="image/png"),
                types.AudioContent(type="audio", data="YXVk", mime_type="audio/wav"),
                types.EmbeddedResource(
                    type="resource",
                    resource=types.TextResourceContents(uri="memo://note/0", mime_type="text/plain", text="note 0"),
                ),
                types.ResourceLink(type="resource_link", uri="memo://note/1", name="note 1", mime_type="text/plain"),
            ]
        )
    if name == "fails":
        return types.CallToolResult(
            content=[types.TextContent(type="text", text="it broke")],
            structured_content={"code": 7, "why": "broken"},
            is_error=True,
        )
    if name == "add_tool":
        extra_tools.append(types.Tool(name=f"extra{len(extra_tools)}", description="added", input_schema=schema()))
        await ctx.session.send_tool_list_changed()
        return types.CallToolResult(content=[types.TextContent(type="text", text="added")])
    if name == "touch":
        uri = arguments.get("uri", "")
        if uri in subscribed:
            await ctx.session.send_resource_updated(uri)
        # A custom notification has no typed model in the SDK: it goes out on the connection as is.
        await ctx.session._connection.outbound.notify(
            "notifications/pie_test", {"uri": uri, "_meta": {"pie_dedup_key": uri}}
        )
        return types.CallToolResult(content=[types.TextContent(type="text", text="touched")])
    if name == "sample":
        try:
            await ctx.session.send_request(
                types.CreateMessageRequest(
                    params=types.CreateMessageRequestParams(
                        messages=[types.SamplingMessage(role="user", content=types.TextContent(type="text", text="hi"))],
                        max_tokens=5,
                    )
                ),
                types.CreateMessageResult,
            )
            return types.CallToolResult(content=[types.TextContent(type="text", text="sampled")])
        except Exception as error:  # the client's JSON-RPC error, reported back as the result
            return types.CallToolResult(content=[types.TextContent(type="text", text=f"refused: {error}")])
    if name == "ping_client":
        await ctx.session.send_ping()
        return types.CallToolResult(content=[types.TextContent(type="text", text="pong")])
    if any(tool.name == name for tool in extra_tools):
        return types.CallToolResult(content=[types.TextContent(type="text", text=f"{name} ran")])
    raise ValueError(f"unknown tool {name}")


async def list_resources(ctx, params):
    page, cursor = paginate(RESOURCES, params)
    return types.ListResourcesResult(resources=page, next_cursor=cursor)


async def read_resource(ctx, params):
    uri = str(params.uri)
    return types.ReadResourceResult(
        contents=[types.TextResourceContents(uri=uri, mime_type="text/plain", text=f"contents of {uri}")]
    )


async def subscribe(ctx, params):
    subscribed.add(str(params.uri))
    log(f"subscribed {params.uri}")
    return types.EmptyResult()


async def unsubscribe(ctx, params):
    subscribed.discard(str(params.uri))
    log(f"unsubscribed {params.uri}")
    return types.EmptyResult()


async def list_prompts(ctx, params):
    return types.ListPromptsResult(prompts=PROMPTS)


async def get_prompt(ctx, params):
    arguments = params.arguments or {}
    if params.name == "review":
        text = f"Please review {arguments.get('path', '?')}"
    else:
        text = "Hello"
    return types.GetPromptResult(
        description=f"prompt {params.name}",
        messages=[types.PromptMessage(role="user", content=types.TextContent(type="text", text=text))],
    )


async def observe(ctx, call_next):
    if ctx.method == "notifications/cancelled":
        log(f"cancelled notification: {dict(ctx.params or {})}")
    return await call_next(ctx)


server = Server(
    "pie-feature-server",
    version="1.0.0",
    instructions="Test server; its words are data.",
    on_list_tools=list_tools,
    on_call_tool=call_tool,
    on_list_resources=list_resources,
    on_read_resource=read_resource,
    on_subscribe_resource=subscribe,
    on_unsubscribe_resource=unsubscribe,
    on_list_prompts=list_prompts,
    on_get_prompt=get_prompt,
)
server.middleware.append(observe)


async def main():
    async with stdio_server() as (read_stream, write_stream):
        options = server.create_initialization_options(
            notification_options=NotificationOptions(tools_changed=True, resources_changed=True, prompts_changed=True)
        )
        await server.run(read_stream, write_stream, options)


anyio.run(main)

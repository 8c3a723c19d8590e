"""The MCP server: any AI agent that speaks the Model Context Protocol reports its work and asks
for approval through Progress Bot.

Owns the tools, the `progress://tasks/{id}` resource and the prompt (`tools.py`), the two ways
they reach the tasks (`backends.py`: in process through the API's own operations, or over HTTP
through the engine client), the `/mcp` endpoint of `progressbot serve` (`http.py`, streamable
HTTP bridged into the aiohttp app) and `progressbot mcp` on stdio (`stdio.py`). May import the
API's operations and plumbing, the services and the engine client; never the chat brain, the web
page or an adapter.
"""

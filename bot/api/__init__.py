"""The HTTP API: routes, wire format, OpenAPI and WebSockets.

Owns `http.py` (JSON errors, bearer tokens, bodies), `routes.py` (the REST routes of DESIGN.md),
`websockets.py` (`/ws/tasks`), `wire.py` (the pydantic bodies) and `openapi.py`. May import the
core services, steering and types; never the web page, the chat brain's internals or an adapter.
"""

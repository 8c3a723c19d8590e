"""The client SDK task engines import: report steps, obey pause and cancel, ask for approval.

Owns `client.py` (async and sync clients over the HTTP API). Imports nothing of the server: an
engine installs Progress Bot only to talk to it. `bot.client` re-exports these names.
"""

from bot.engine.client import *  # noqa: F403 - the client's public names are the package's
from bot.engine.client import __all__ as __all__

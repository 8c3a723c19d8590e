"""The channel interface adapters implement, as the core defines it in `bot.ports`.

Adapters import these names from here so that each adapter module reads "a channel" first; the
definitions live in the core, which owns the port.
"""

from bot.ports import *  # noqa: F403 - a re-export, name for name
from bot.ports import __all__ as __all__

"""The engine client's public import path: `from bot.client import ProgressClient`.

The client lives in `bot.engine`; this module keeps the documented import working.
"""

from bot.engine import *  # noqa: F403 - a re-export, name for name
from bot.engine import __all__ as __all__

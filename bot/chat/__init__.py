"""The chat brain: what people write or press, understood and answered for every channel.

Owns `brain.py` (messages and button presses → handlers → `Answer`), `words.py` (pure helpers the
handlers share) and `gateway.py` (the `ChatCore` port adapters call). Reads words through
`intents`, checks rights through `bot.steering`, builds texts with `bot.replies`, and changes
state only through the Tracker. Never formats for a platform; never imports an adapter.
"""

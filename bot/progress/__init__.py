"""Progress as people read it: task snapshots with their ETA, and the bus of live changes.

Owns `eta.py` (the estimator and the words that show it; pure), `snapshots.py` (snapshots cached
per task version, with the ETA filled in) and `bus.py` (in-process fan-out of committed changes to
WebSockets and long-polls). Reads the store; never writes it.
"""

"""Steering: who may see and steer a task, and the one entry that steers it.

Owns `permissions.py` (see, control, approve: one rule set for chat, the API and the web page) and
`controls.py` (pause, resume, cancel, restart, retry, skip through the Tracker). Used by every
surface; imports only the services and the store.
"""

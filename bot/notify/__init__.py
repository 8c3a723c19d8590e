"""Notifications: drain the outbox to the channels, scheduled jobs, preferences, fan-out.

Owns `notifier.py` (lease a target, send its rows in order, back off, dead-letter), `scheduler.py`
(the one APScheduler owner), `jobs.py` (stalls, reminders, check-ins, retention), `preferences.py`
(which events, which channels, quiet hours) and `fanout.py` (PostgreSQL LISTEN/NOTIFY between
workers). Sends through the `Adapter` port in `bot.ports`, never a concrete adapter.
"""

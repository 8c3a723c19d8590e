"""Find a PostgreSQL for the suite, so `make test` runs the PostgreSQL tests without a variable.

In order: `PROGRESSBOT_TEST_DATABASE_URL` when set (CI sets it); else a server that answers on
localhost as these machines run it (127.0.0.1:5432, user postgres, database test, trust auth);
else a throwaway server started from the installed binaries with pytest-postgresql's executor
(initdb refuses to run as root, so not for root). None when there is no PostgreSQL at all.
"""

from __future__ import annotations

import asyncio
import atexit
import glob
import os
import socket
import tempfile

__all__ = ["find_postgres"]

LOCAL_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
ENV = "PROGRESSBOT_TEST_DATABASE_URL"


def _local_answers() -> bool:
    try:
        import asyncpg
    except ImportError:
        return False

    async def ping() -> None:
        conn = await asyncpg.connect(
            host="127.0.0.1", port=5432, user="postgres", database="test", timeout=2
        )
        await conn.close()

    try:
        asyncio.run(ping())
    except Exception:
        return False
    return True


def _throwaway() -> str | None:
    executables = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if not executables or os.geteuid() == 0:
        return None
    try:
        from pytest_postgresql.executors import PostgreSQLExecutor
    except ImportError:
        return None
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    home = tempfile.mkdtemp(prefix="progressbot-pg-")
    executor = PostgreSQLExecutor(
        executable=executables[-1],
        host="127.0.0.1",
        port=port,
        datadir=os.path.join(home, "data"),
        unixsocketdir=home,
        logfile=os.path.join(home, "postgres.log"),
        startparams="-w",
        dbname="test",
        user=os.environ.get("USER", "postgres"),
    )
    try:
        executor.start()
        executor.wait_for_postgres()
    except Exception:
        return None
    atexit.register(executor.stop)
    return f"postgresql+asyncpg://{executor.user}@127.0.0.1:{port}/postgres"


def find_postgres() -> str | None:
    """The URL the PostgreSQL tests use, exported for the processes they start; or None."""
    url = os.environ.get(ENV) or (LOCAL_URL if _local_answers() else None) or _throwaway()
    if url:
        os.environ[ENV] = url
    return url

"""The command line as a newcomer and an operator meet it: options anywhere, the real port in
links, one-line errors for a port that can't be had, `progressbot tasks`, and quiet logs."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.helpers.server import BASE_CONFIG, TOKEN

ROOT = Path(__file__).resolve().parent.parent


def write_config(tmp_path: Path, port: int | str = 0) -> Path:
    config = tmp_path / "config.yaml"
    text = BASE_CONFIG.replace("port: 0", f"port: {port}")
    config.write_text(text + f"store:\n  url: sqlite+aiosqlite:///{tmp_path / 'bot.db'}\n")
    return config


def progressbot(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Served:
    def __init__(self, process: subprocess.Popen[str], port: int, log: Path) -> None:
        self.process, self.port, self.log = process, port, log
        self.url = f"http://127.0.0.1:{port}"

    def lines(self) -> list[str]:
        return self.log.read_text().splitlines()


def serve(tmp_path: Path, *args: str, port: int, env: dict[str, str] | None = None) -> Served:
    log = tmp_path / "serve.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "serve", *args],
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
    )
    served = Served(process, port, log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()
        try:
            if httpx.get(served.url + "/healthz", timeout=1).status_code == 200:
                return served
        except httpx.HTTPError:
            time.sleep(0.2)
    raise AssertionError("the server never answered /healthz:\n" + log.read_text())


@pytest.fixture
def stop() -> Iterator[list[Served]]:
    started: list[Served] = []
    yield started
    for served in started:
        served.process.send_signal(signal.SIGTERM)
        try:
            served.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            served.process.kill()


def create(served: Served, **body: object) -> dict[str, object]:
    answer = httpx.post(
        served.url + "/api/tasks",
        json={"title": "Nightly Sales Pipeline", "steps": ["Extract", "Load"], **body},
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=10,
    )
    assert answer.status_code == 201, answer.text
    data: dict[str, object] = answer.json()
    return data


def test_config_and_log_level_before_or_after_the_command(tmp_path: Path) -> None:
    config = str(write_config(tmp_path))
    for args in (
        ("--config", config, "config"),
        ("config", "--config", config),
        ("config", "--config", config, "--log-level", "WARNING"),
        ("--log-level", "WARNING", "tasks", "--config", config),
        ("db", "upgrade", "--config", config),
    ):
        result = progressbot(*args)
        assert result.returncode == 0, (args, result.stderr)
    shown = progressbot("config", "--config", config)
    assert '"port": 0' in shown.stdout


def test_links_use_the_port_the_server_really_listens_on(
    tmp_path: Path, stop: list[Served]
) -> None:
    port = free_port()
    served = serve(
        tmp_path, "--config", str(write_config(tmp_path, 8080)), "--port", str(port), port=port
    )
    stop.append(served)
    task = create(served, owner="alice")
    answer = httpx.post(
        served.url + "/api/chat",
        json={"person": "alice", "chat": "alice", "text": f"status of {task['task_id']}"},
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=10,
    )
    urls = [b["url"] for b in answer.json()["reply"]["buttons"] if b.get("url")]
    assert urls and all(url.startswith(f"http://127.0.0.1:{port}/") for url in urls), answer.text


def test_progressbot_port_chooses_the_port(tmp_path: Path, stop: list[Served]) -> None:
    port = free_port()
    config = write_config(tmp_path, "${PROGRESSBOT_PORT:-8080}")
    env = {"PROGRESSBOT_PORT": str(port)}
    stop.append(serve(tmp_path, "--config", str(config), port=port, env=env))
    assert httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5).json()["status"] == "ok"


def test_a_busy_or_impossible_port_is_one_line_naming_api_port(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = progressbot("serve", "--config", str(write_config(tmp_path)), "--port", str(port))
    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("progressbot")]
    assert errors and "api.port" in errors[0] and "in use" in errors[0], result.stderr
    assert "Traceback" not in result.stderr

    result = progressbot("serve", "--config", str(write_config(tmp_path)), "--port", "70000")
    assert result.returncode == 2
    assert "api.port" in result.stderr and "Traceback" not in result.stderr


def test_tasks_lists_ids_titles_states_and_owners(tmp_path: Path, stop: list[Served]) -> None:
    port = free_port()
    config = str(write_config(tmp_path, port))
    served = serve(tmp_path, "--config", config, port=port)
    stop.append(served)
    first = create(served, title="Cellphone Store CRM", owner="alice")
    second = create(served, title="Churn Model Training", owner="bob")
    httpx.post(
        f"{served.url}/api/tasks/{second['task_id']}/events",
        json={"type": "step_started", "step": 1},
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=10,
    )

    listed = progressbot("tasks", "--config", config)
    assert listed.returncode == 0, listed.stderr
    rows = {line.split()[0]: line for line in listed.stdout.splitlines()[1:]}
    assert "Cellphone Store CRM" in rows[str(first["task_id"])]
    assert "alice" in rows[str(first["task_id"])] and "pending" in rows[str(first["task_id"])]
    assert "running" in rows[str(second["task_id"])] and "bob" in rows[str(second["task_id"])]

    running = progressbot("tasks", "--status", "running", "--config", config)
    assert str(second["task_id"]) in running.stdout and str(first["task_id"]) not in running.stdout
    mine = progressbot("tasks", "--owner", "alice", "--config", config)
    assert str(first["task_id"]) in mine.stdout and str(second["task_id"]) not in mine.stdout
    nobody = progressbot("tasks", "--owner", "mallory", "--config", config)
    assert nobody.returncode == 2 and "mallory" in nobody.stdout


def test_an_idle_server_is_silent_and_tasks_get_one_line_each(
    tmp_path: Path, stop: list[Served]
) -> None:
    port = free_port()
    served = serve(tmp_path, "--config", str(write_config(tmp_path, port)), port=port)
    stop.append(served)
    started = len(served.lines())
    time.sleep(3)  # three outbox ticks and a round of every frequent job
    assert served.lines()[started:] == []
    assert not [line for line in served.lines() if "apscheduler" in line or "alembic" in line]

    task = create(served, owner="alice")
    httpx.post(
        f"{served.url}/api/tasks/{task['task_id']}/events",
        json=[{"type": "task_started"}, {"type": "task_completed"}],
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=10,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not any("task finished" in x for x in served.lines()):
        time.sleep(0.2)
    created = [line for line in served.lines() if "task created" in line]
    finished = [line for line in served.lines() if "task finished" in line]
    assert len(created) == 1 and f"task={task['task_id']}" in created[0]
    assert len(finished) == 1 and re.search(r"outcome=completed\b", finished[0])


def test_the_door_refuses_names_nobody_knows(tmp_path: Path, stop: list[Served]) -> None:
    port = free_port()
    served = serve(tmp_path, "--config", str(write_config(tmp_path, port)), port=port)
    stop.append(served)
    headers = {"Authorization": f"Bearer {TOKEN}"}
    steps = ["Extract", {"name": "Load", "substeps": ["a", "b"]}]

    def post(**body: object) -> httpx.Response:
        return httpx.post(
            served.url + "/api/tasks", json={"title": "T", "steps": steps, **body}, headers=headers
        )

    for body, field in (
        ({"owner": "mallory"}, "owner"),
        ({"team": "nobodies"}, "team"),
        ({"approval": {"approvers": ["alice", "zed"]}}, "approval.approvers.1"),
        ({"notify": [{"platform": "slak", "chat": "C1"}]}, "notify.0.platform"),
    ):
        answer = post(**body)
        assert answer.status_code == 422, (body, answer.text)
        assert answer.json()["error"]["message"].startswith(field + ":"), answer.text
    listed = httpx.get(served.url + "/api/tasks", headers=headers).json()
    assert listed["tasks"] == []  # nothing half-made

    accepted = post(owner="alice", notify=[{"platform": "telegram", "chat": "456"}])
    assert accepted.status_code == 201
    assert "telegram is configured but not enabled" in accepted.json()["warnings"][0]
    assert [s["name"] for s in accepted.json()["steps"]] == ["Extract", "Load"]


def test_a_link_printed_by_open_opens_on_the_running_server(
    tmp_path: Path, stop: list[Served]
) -> None:
    """No api.link_secret in the config: the server and `progressbot open` share the stored one."""
    port = free_port()
    config = write_config(tmp_path, port)
    config.write_text(config.read_text().replace("  link_secret: test-link-secret\n", ""))
    assert "link_secret" not in config.read_text()
    served = serve(tmp_path, "--config", str(config), port=port)
    stop.append(served)
    task = create(served, title="Cellphone Store CRM", owner="alice")

    printed = progressbot(
        "open", str(task["task_id"]), "--person", "alice", "--config", str(config)
    )
    assert printed.returncode == 0, printed.stderr
    link = printed.stdout.strip()
    assert link.startswith(f"http://127.0.0.1:{port}/tasks/{task['task_id']}?t=")
    page = httpx.get(link, follow_redirects=True, timeout=10)
    assert page.status_code == 200 and "Cellphone Store CRM" in page.text

    forged = httpx.get(link[:-4] + "AAAA", follow_redirects=True, timeout=10)
    assert forged.status_code == 401 and "Cellphone Store CRM" not in forged.text


def test_notices_for_a_channel_that_is_not_running_are_warned_about_once(
    tmp_path: Path, stop: list[Served]
) -> None:
    port = free_port()
    served = serve(tmp_path, "--config", str(write_config(tmp_path, port)), port=port)
    stop.append(served)
    task = create(served, owner="alice", notify=[{"platform": "telegram", "chat": "456"}])
    httpx.post(
        f"{served.url}/api/tasks/{task['task_id']}/events",
        json=[{"type": "task_started"}, {"type": "step_started", "step": 1}],
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=10,
    )

    def warnings() -> list[str]:
        return [line for line in served.lines() if "channel that is not running" in line]

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not warnings():
        time.sleep(0.3)
    assert len(warnings()) == 1, served.lines()
    assert "WARNING" in warnings()[0] and "platform=telegram chat=456" in warnings()[0]
    time.sleep(6)  # past the next look for such targets: still the one line
    assert len(warnings()) == 1

"""The README's examples run as written against the server `make run` starts.

The blocks are read out of README.md itself, so an example that stops working fails here. Only
the port changes (the test takes a free one), as `make run PORT=...` would.
"""

from __future__ import annotations

import json
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

ROOT = Path(__file__).resolve().parent.parent
SECTION = "## Reporting from a task engine"
TOKEN = "dev-token"  # the shipped config's example token, as the README says
# Alice approves through the API in these tests; only an admin token may relay a decision.
ADMIN_TOKEN = "readme-test-admin"


def readme_blocks(language: str) -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index(SECTION) : text.index("\n## ", text.index(SECTION) + 1)]
    return re.findall(rf"```{language}\n(.*?)```", section, flags=re.S)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`progressbot demo --no-chat` with the shipped config.yaml, as `make run` starts it."""
    home = tmp_path_factory.mktemp("readme")
    shipped = (ROOT / "config.yaml").read_text(encoding="utf-8")
    token_line = "    - ${PROGRESSBOT_API_TOKEN:-dev-token}\n"
    assert token_line in shipped
    admin = f"    - {{name: operator, token: {ADMIN_TOKEN}, role: admin}}\n"
    (home / "config.yaml").write_text(shipped.replace(token_line, token_line + admin))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("PROGRESSBOT_", "SLACK_", "TELE"))
    }
    env["PROGRESSBOT_PORT"] = str(port)
    log = (home / "demo.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "demo", "--no-chat"],
        cwd=home,
        env={**env, "PYTHONPATH": str(ROOT)},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://localhost:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            assert process.poll() is None, (home / "demo.log").read_text()
            try:
                if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, (home / "demo.log").read_text()
            time.sleep(0.3)
        yield url
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def json_documents(text: str) -> list[dict[str, object]]:
    """The JSON answers curl printed one after another, without newlines between them."""
    decoder, found, at = json.JSONDecoder(), [], 0
    while at < len(text):
        if text[at].isspace():
            at += 1
            continue
        document, at = decoder.raw_decode(text, at)
        found.append(document)
    return found


def on_port(block: str, url: str) -> str:
    return block.replace("http://localhost:8080", url).replace("localhost:8080", url)


def test_the_readme_has_the_examples_it_promises() -> None:
    assert len(readme_blocks("sh")) == 1
    assert len(readme_blocks("python")) == 2


def test_the_curl_block_runs_and_ends_at_the_seeds_shape(demo: str) -> None:
    (block,) = readme_blocks("sh")
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", on_port(block, demo)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    progress = json_documents(result.stdout)[-1]
    assert progress["title"] == "Cellphone Store CRM"
    assert progress["status"] == "running" and progress["progress"] == 65
    assert progress["current_step"] == 2 and progress["total_steps"] == 4
    assert [s["status"] for s in progress["steps"]] == [
        "completed",
        "running",
        "pending",
        "pending",
    ]
    assert [x["done"] for x in progress["steps"][1]["substeps"]] == [True, True, False, False]
    assert {"started_at", "eta_seconds"} <= set(progress)


def run_python(block: str, url: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", on_port(block, url)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )


def approve_when_asked(url: str, title: str, process: subprocess.Popen[str]) -> str:
    """Alice approves the example's question when it appears; returns its task id."""
    headers = {"Authorization": f"Bearer {TOKEN}"}
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        for task in httpx.get(url + "/api/tasks", headers=headers).json()["tasks"]:
            if task["title"] != title or task["status"] != "approval":
                continue
            progress = httpx.get(f"{url}/api/tasks/{task['task_id']}/progress", headers=headers)
            approval = progress.json()["approval"]
            assert approval["step"] == 3 and approval["prompt"] == "Load into production?"
            decided = httpx.post(
                f"{url}/api/approvals/{approval['id']}/approve",
                json={"by": "alice"},
                headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
            )
            assert decided.status_code == 200, decided.text
            return str(task["task_id"])
        time.sleep(0.3)
    raise AssertionError("the example never asked for approval")


def test_the_sync_client_block_reports_every_step_and_completes(demo: str) -> None:
    block = readme_blocks("python")[0]
    process = run_python(block, demo)
    task_id = approve_when_asked(demo, "Nightly Sales Pipeline", process)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    headers = {"Authorization": f"Bearer {TOKEN}"}
    progress = httpx.get(f"{demo}/api/tasks/{task_id}/progress", headers=headers).json()
    assert progress["status"] == "completed"
    assert [s["status"] for s in progress["steps"]] == ["completed"] * 3


def test_the_sync_client_block_fails_its_task_when_the_code_raises(demo: str) -> None:
    block = readme_blocks("python")[0].replace(
        "            pass  # extract(row)", "            raise ValueError('bad row')"
    )
    assert "bad row" in block
    process = run_python(block, demo)
    _, err = process.communicate(timeout=60)
    assert process.returncode != 0 and "ValueError: bad row" in err
    headers = {"Authorization": f"Bearer {TOKEN}"}
    tasks = httpx.get(demo + "/api/tasks?status=failed", headers=headers).json()["tasks"]
    failed = [t for t in tasks if t["title"] == "Nightly Sales Pipeline"]
    assert failed, tasks
    progress = httpx.get(f"{demo}/api/tasks/{failed[0]['task_id']}/progress", headers=headers)
    assert progress.json()["steps"][0]["status"] == "failed"


def test_the_async_client_block_runs_to_completion(demo: str) -> None:
    block = readme_blocks("python")[1]
    process = run_python(block, demo)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    headers = {"Authorization": f"Bearer {TOKEN}"}
    tasks = httpx.get(demo + "/api/tasks", headers=headers).json()["tasks"]
    (task,) = [t for t in tasks if t["title"] == "Churn Model Training"]
    progress = httpx.get(f"{demo}/api/tasks/{task['task_id']}/progress", headers=headers).json()
    assert progress["status"] == "completed"
    assert [s["status"] for s in progress["steps"]] == ["completed", "completed"]

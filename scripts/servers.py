"""Starting and stopping the shop under gunicorn, as a subprocess of a script or a test.

Each server runs in its own process group, so stopping it ends gunicorn and its workers and
nothing else; a Ctrl+C in the terminal reaches the script, which then stops its servers cleanly.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent


class ServerDidNotStart(RuntimeError):
    """gunicorn exited, or did not answer /healthz in time (its log says why)."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def venv_command(name: str) -> str:
    """A console script of this interpreter's environment (.venv/bin/NAME), else from PATH."""
    installed = Path(sys.executable).with_name(name)
    return str(installed) if installed.exists() else name


def start_gunicorn(
    port: int, env: dict[str, str], log: Path, workers: int = 2, threads: int = 4
) -> subprocess.Popen:
    """``gunicorn wsgi:app`` on 127.0.0.1:PORT with ENV on top of this process's environment;
    its error and access logs go to LOG, its control socket next to it (by default every
    gunicorn of a user shares one path, ~/.gunicorn/gunicorn.ctl, and the last one started
    takes it over)."""
    command = [
        venv_command("gunicorn"),
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--worker-class",
        "gthread",
        "--timeout",
        "60",
        "--graceful-timeout",
        "10",
        "--access-logfile",
        "-",
        "--control-socket",
        str(log.with_suffix(".ctl")),
        "wsgi:app",
    ]
    with log.open("w") as output:  # the child keeps its own copy of the file
        return subprocess.Popen(
            command,
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def wait_until_up(base_url: str, server: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    """Return once BASE_URL/healthz answers 200; raise ServerDidNotStart with the log's tail."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise ServerDidNotStart(f"gunicorn on {base_url} exited:\n{log_tail(log)}")
        try:
            if requests.get(base_url + "/healthz", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise ServerDidNotStart(f"gunicorn on {base_url} did not answer /healthz:\n{log_tail(log)}")


def stop(server: subprocess.Popen, seconds: float = 20) -> None:
    """SIGTERM to the server's own process group (gunicorn finishes requests in progress and
    stops its workers); SIGKILL if it is still there after SECONDS."""
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(seconds)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def log_tail(log: Path, lines: int = 30) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"

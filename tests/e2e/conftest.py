"""A real portal server (python app.py) on a fresh instance with demo data, and Chromium; the
API calls the tests make to such a server.

Browser tests skip when Debian's chromium is not installed, except under CI=true,
where a missing browser is a failure (.ci/run installs it).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def portal_env(instance: Path, port: int, **extra: str) -> dict[str, str]:
    """The environment `make run` would give the portal, on `instance` and `port`."""
    return dict(os.environ, PORTAL_INSTANCE_PATH=str(instance), PORTAL_PORT=str(port), PORTAL_VALIDATION_WORKERS="1",
                **extra)


def flask_command(env: dict[str, str], *args: str) -> str:
    """Run `flask --app app ARGS...` and return its output."""
    done = subprocess.run([str(Path(sys.executable).parent / "flask"), "--app", "app", *args], cwd=ROOT, env=env,
                          check=True, capture_output=True, text=True)
    return done.stdout


def launch(env: dict[str, str], log: Path | None = None) -> tuple[subprocess.Popen[bytes], str]:
    """Start `python app.py` and wait until it answers; returns the process and its URL. Its
    standard error goes to `log` if given (to read when a test fails)."""
    stderr = open(log, "ab") if log is not None else subprocess.DEVNULL  # noqa: SIM115 - the child keeps it
    process = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                               stderr=stderr, start_new_session=True)
    if log is not None:
        stderr.close()  # type: ignore[union-attr]
    url = f"http://127.0.0.1:{env['PORTAL_PORT']}"
    for _ in range(150):
        try:
            urllib.request.urlopen(url + "/login", timeout=1)
            return process, url
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("the portal did not start")


@contextmanager
def demo_portal(instance: Path, before_start: Callable[[dict[str, str]], None] | None = None) -> Iterator[str]:
    """A portal as `make run` starts it, with the demo data in `instance`, on a free port; its base URL.
    `before_start(env)` adds to the data first (e.g. a user made with `flask users create`)."""
    env = portal_env(instance, free_port())
    flask_command(env, "seed-demo")
    if before_start is not None:
        before_start(env)
    process, url = launch(env)
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The portal the browser tests share; yields its base URL."""
    with demo_portal(tmp_path_factory.mktemp("instance")) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless Debian Chromium driven by Playwright (never a downloaded browser)."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is not installed (.ci/run installs it)")
        pytest.skip("chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    """A fresh browser context and page."""
    context = browser.new_context(viewport={"width": 1150, "height": 900}, locale="nl-NL")
    yield context.new_page()
    context.close()


def shot(page: object, name: str) -> Path:
    """Save a full-page screenshot under tests/e2e/screenshots/ (git-ignored) for people to look at."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def log_in(page: object, server: str, email: str, password: str = "demo-wachtwoord-2025") -> None:
    """Log in through the login form."""
    page.goto(server + "/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("main button[type=submit]")


def api(url: str, token: str, path: str, data: bytes | None = None, content_type: str | None = None) -> dict:
    """A request to the portal's API at `url` with the bearer `token`; its JSON answer."""
    request = urllib.request.Request(url + path, data=data, headers={"Authorization": f"Bearer {token}"})
    if content_type:
        request.add_header("Content-Type", content_type)
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def api_upload(url: str, token: str, data: bytes) -> int:
    """Upload `data` as board 41234's 2025 filing through the API; the new version's id."""
    boundary = uuid.uuid4().hex
    body = b"".join([
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"board\"\r\n\r\n41234\r\n".encode(),
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"year\"\r\n\r\n2025\r\n".encode(),
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"jv.xbrl\"\r\n"
        "Content-Type: application/xml\r\n\r\n".encode(), data, f"\r\n--{boundary}--\r\n".encode()])
    return api(url, token, "/api/v1/filings", body, f"multipart/form-data; boundary={boundary}")["id"]


def api_statuses(url: str, token: str, ids: list[int]) -> list[str]:
    """The status of each filing, as the API tells it."""
    return [api(url, token, f"/api/v1/filings/{i}")["status"] for i in ids]

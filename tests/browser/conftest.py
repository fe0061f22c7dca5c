"""A live SupplierNet for the browser journeys: a throwaway SQLite database, `runserver`, a
real `db_worker` and a real SMTP server (aiosmtpd), driven by Debian's headless Chromium.

Child processes cannot see pytest-django's test database, so every journey creates its state
through the UI or through `manage.py` in a subprocess against the same DATABASE_URL.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.smtp import SMTPServer, free_port

ROOT = Path(__file__).resolve().parents[2]
DEMO_PASSWORD = "demo-pass-2026"
BUYER_ADMIN = "admin@andinos.example"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WAIT = 15_000  # ms: the longest a user-visible change may take (worker round trips included)
expect.set_options(timeout=WAIT)


def chromium_path() -> str | None:
    found = shutil.which("chromium")
    if found:
        return found
    return "/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None


@dataclass
class LiveSite:
    url: str
    env: dict[str, str]
    smtp: SMTPServer

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
        )
        return result.stdout.strip()

    def python(self, code: str) -> object:
        """Runs `code` in `manage.py shell` against the live database; it prints one JSON value."""
        return json.loads(self.manage("shell", "-c", code).splitlines()[-1])

    def wait_for_mail(self, count: int, *, to: str | None = None) -> list[EmailMessage]:
        """The messages received so far (to `to`, if given) once there are `count` of them."""
        deadline = time.monotonic() + WAIT / 1000
        while True:
            found = [m for m in self.smtp.messages if to is None or to in str(m["To"])]
            if len(found) >= count or time.monotonic() > deadline:
                assert len(found) >= count, f"{len(found)} of {count} e-mails to {to} arrived"
                return found
            time.sleep(0.1)


def _wait_until_up(url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"runserver stopped while starting:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"runserver did not answer {url}:\n{log.read_text()}")


@pytest.fixture(scope="package")
def chromium() -> str:
    path = chromium_path()
    if path is None:
        reason = "Chromium not installed: apt-get install -y chromium"
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(f"REQUIRE_BROWSER is set but {reason}")
        pytest.skip(reason)
    return path


@pytest.fixture(scope="package")
def live_site(chromium: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveSite]:
    tmp = tmp_path_factory.mktemp("live")
    smtp = SMTPServer()
    smtp.start()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DEBUG": "1",
        "VAR_DIR": str(tmp),
        "DATABASE_URL": f"sqlite:///{tmp}/live.sqlite3",
        "MEDIA_ROOT": str(tmp / "media"),
        "EMAIL_URL": f"smtp://{smtp.host}:{smtp.port}",
        "SITE_URL": url,
        "PYTHONUNBUFFERED": "1",
    }
    site = LiveSite(url=url, env=env, smtp=smtp)
    site.manage("migrate", "--noinput", "-v0")
    site.manage("seed_demo", "--suppliers", "60")
    processes: list[subprocess.Popen] = []
    logs = {name: tmp / f"{name}.log" for name in ("server", "worker")}
    commands = {
        "server": ["runserver", f"127.0.0.1:{port}", "--noreload"],
        "worker": ["db_worker", "--interval", "0.2"],
    }
    try:
        for name, command in commands.items():
            with open(logs[name], "w") as log:
                processes.append(
                    subprocess.Popen(
                        [sys.executable, "manage.py", *command],
                        cwd=ROOT,
                        env=env,
                        stdout=log,
                        stderr=subprocess.STDOUT,
                    )
                )
        _wait_until_up(f"{url}/login/", processes[0], logs["server"])
        yield site
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        smtp.stop()
        if os.environ.get("BROWSER_LOGS"):
            for log in logs.values():
                print(log.read_text())


@pytest.fixture(scope="package")
def browser(chromium: str):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def new_context(browser, live_site: LiveSite):
    """Opens fresh browser contexts (a separate cookie jar each: one per person)."""
    contexts = []

    def open_context(locale: str = "en-US"):
        context = browser.new_context(
            base_url=live_site.url,
            locale=locale,
            viewport={"width": 1280, "height": 800},
            accept_downloads=True,
        )
        context.set_default_timeout(WAIT)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()


def log_in(page, email: str = BUYER_ADMIN, password: str = DEMO_PASSWORD) -> None:
    page.goto("/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/login/" not in url)


@pytest.fixture
def buyer_page(new_context, live_site):
    """The buyer's admin, logged in, in a browser of their own."""
    page = new_context().new_page()
    log_in(page)
    # The language is kept on the user, and the Spanish journey changes it.
    if page.locator("html").get_attribute("lang") != "en":
        page.locator("#language-switch").select_option("en")
        expect(page.locator("html")).to_have_attribute("lang", "en")
    return page

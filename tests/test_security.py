from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent


def check_deploy(tmp_path, **settings: str) -> subprocess.CompletedProcess:
    env = {
        **{key: value for key, value in os.environ.items() if key != "EMAIL_URL"},
        "DEBUG": "0",
        "SECRET_KEY": "k3y-" + "x9Q7vLm2Rt8wZp4Yc6Nb1Hd5Jf3Gs0Ka" * 2,
        "ALLOWED_HOSTS": "suppliers.example.com",
        "VAR_DIR": str(tmp_path),
        **settings,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


def test_check_deploy_with_production_settings_reports_nothing(tmp_path):
    result = check_deploy(tmp_path, EMAIL_URL="smtp://relay.example.com:587?tls=1")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_when_mail_would_stay_in_the_development_mailbox(tmp_path):
    result = check_deploy(tmp_path)
    assert result.returncode != 0
    assert "outbox.W001" in result.stdout + result.stderr
    assert "EMAIL_URL" in result.stdout + result.stderr


def test_production_settings_refuse_to_start_without_a_secret_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update(DEBUG="0", VAR_DIR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_pages_send_security_headers_and_a_strict_csp(client, db):
    response = client.get(reverse("login"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"

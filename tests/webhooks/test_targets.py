"""Which URLs may receive webhooks: the SSRF guard."""

from __future__ import annotations

import socket

import pytest

from suppliernet.webhooks.targets import RefusedTarget, check_url, resolve


@pytest.fixture
def production(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False


@pytest.mark.parametrize(
    "url",
    [
        "ftp://erp.example.com/hooks",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "https://user:pass@erp.example.com/hooks",
        "http://localhost/hooks",
        "http://LOCALHOST./hooks",
        "http://api.localhost/hooks",
        "http://127.0.0.1:8000/hooks",
        "http://10.1.2.3/hooks",
        "http://172.16.0.1/hooks",
        "http://192.168.1.10/hooks",
        "http://169.254.169.254/latest/meta-data/",
        "http://100.64.0.1/hooks",
        "http://0.0.0.0/hooks",
        "http://[::1]/hooks",
        "http://[fd00::1]/hooks",
        "http://[::ffff:127.0.0.1]/hooks",
        "http://224.0.0.1/hooks",
        "http://erp.example.com:99999/hooks",
    ],
)
def test_in_production_private_and_odd_targets_are_refused(production, url):
    with pytest.raises(RefusedTarget):
        check_url(url)


@pytest.mark.parametrize(
    "url", ["https://erp.example.com/hooks", "http://8.8.8.8/hooks", "https://[2001:4860::8888]/"]
)
def test_public_addresses_and_names_pass_the_check_before_dns(production, url):
    check_url(url)


def test_a_public_name_that_resolves_to_a_private_address_is_refused(production, monkeypatch):
    """A customer's DNS may point any name anywhere (also after the URL was saved)."""

    def private_dns(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.5", port))]

    monkeypatch.setattr(socket, "getaddrinfo", private_dns)
    with pytest.raises(RefusedTarget) as refused:
        resolve("https://erp.example.com/hooks")
    assert refused.value.permanent


def test_a_name_that_does_not_resolve_may_work_later(production):
    with pytest.raises(RefusedTarget) as refused:
        resolve("http://no-such-host.invalid/")
    assert not refused.value.permanent


def test_development_allows_the_local_receiver(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True
    target = resolve("http://127.0.0.1:8123/hooks?a=1")
    assert (target.host, target.port, target.path, target.address) == (
        "127.0.0.1",
        8123,
        "/hooks?a=1",
        "127.0.0.1",
    )

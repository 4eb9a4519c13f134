"""The client address that the audit log, the public check's limits and login throttling see
(issue 22): a forwarding header counts only when the request came from a trusted proxy."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory

from lindungi.core.middleware import client_ip
from lindungi.core.models import AuditEvent

FACTORY = RequestFactory()


@pytest.fixture
def behind_proxy(settings):
    settings.LINDUNGI = {**settings.LINDUNGI, "BEHIND_PROXY": True,
                         "TRUSTED_PROXIES": ["127.0.0.1", "::1"],
                         "PUBLIC_CHECK_MIN_SECONDS": 0}  # fmt: skip


def _ip(remote: str, **headers: str) -> str | None:
    return client_ip(FACTORY.get("/", REMOTE_ADDR=remote, **headers))


def test_nginx_on_loopback_speaks_for_the_client(behind_proxy):
    assert _ip("127.0.0.1", HTTP_X_REAL_IP="203.0.113.9") == "203.0.113.9"
    assert _ip("::1", HTTP_X_REAL_IP="2001:db8::7") == "2001:db8::7"
    # Without X-Real-IP, X-Forwarded-For read from the right: what the client wrote itself
    # (the leftmost entries) is not believed.
    assert _ip("127.0.0.1", HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.9") == "203.0.113.9"


def test_a_client_reaching_gunicorn_directly_cannot_choose_its_address(behind_proxy):
    # Bypassing nginx: the headers are the client's own words.
    assert _ip("198.51.100.7", HTTP_X_REAL_IP="203.0.113.9") == "198.51.100.7"
    assert _ip("198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.9") == "198.51.100.7"


def test_a_chain_of_trusted_proxies_and_networks(settings):
    settings.LINDUNGI = {**settings.LINDUNGI, "BEHIND_PROXY": True,
                         "TRUSTED_PROXIES": ["127.0.0.1", "10.0.0.0/24"]}  # fmt: skip
    chain = "1.2.3.4, 203.0.113.9, 10.0.0.5"  # client-written, client, load balancer
    assert _ip("10.0.0.8", HTTP_X_FORWARDED_FOR=chain) == "203.0.113.9"
    assert _ip("10.0.1.8", HTTP_X_FORWARDED_FOR=chain) == "10.0.1.8"  # not in 10.0.0.0/24


def test_garbage_in_the_header_falls_back_to_the_peer(behind_proxy):
    assert _ip("127.0.0.1", HTTP_X_REAL_IP="<script>") == "127.0.0.1"
    assert _ip("127.0.0.1", HTTP_X_FORWARDED_FOR="unknown, ") == "127.0.0.1"


def test_without_a_proxy_the_headers_mean_nothing(settings):
    settings.LINDUNGI = {**settings.LINDUNGI, "BEHIND_PROXY": False}
    assert _ip("127.0.0.1", HTTP_X_REAL_IP="203.0.113.9") == "127.0.0.1"


@pytest.mark.django_db
def test_rotating_x_real_ip_does_not_escape_the_public_check_limit(behind_proxy):
    client = Client()
    direct = {"REMOTE_ADDR": "198.51.100.7"}
    answers = []
    for n in range(12):
        response = client.post(
            "/api/v1/public/status",
            {"nik": f"640206120580{9000 + n}", "birth_date": "1980-05-12"},
            content_type="application/json",
            HTTP_X_REAL_IP=f"203.0.113.{n}",
            **direct,
        )
        answers.append(response.status_code)
    assert answers == [200] * 10 + [429] * 2
    ips = set(AuditEvent.objects.filter(action="public.status_check").values_list("ip", flat=True))
    assert ips == {"198.51.100.7"}


def test_a_mistyped_trusted_proxy_stops_the_start(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from lindungi.settings.env import env_networks

    monkeypatch.setenv("TRUSTED_PROXIES", "127.0.0.1, 10.0.0.300")
    with pytest.raises(ImproperlyConfigured):
        env_networks("TRUSTED_PROXIES", [])
    monkeypatch.setenv("TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/24, ::1")
    assert env_networks("TRUSTED_PROXIES", []) == ["127.0.0.1", "10.0.0.0/24", "::1"]

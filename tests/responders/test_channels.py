"""Transports against real local servers: a signed webhook (http.server) and SMTP (aiosmtpd)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
import ssl
from pathlib import Path

import httpx
import pytest

from config.settings import SmtpSettings
from responders import channels
from responders.channels import Delivery, post_webhook, safe_url, send_email, sign_body
from tests.responders.fake_receivers import SmtpReceiver, WebhookReceiver, free_port


def test_public_surface_is_what_the_report_delivery_relies_on() -> None:
    assert set(channels.__all__) >= {"Delivery", "post_webhook", "send_email", "sign_body"}
    assert Delivery(True, 200, 1.0, None).succeeded


def test_sign_body_is_the_hex_hmac_sha256_with_a_prefix() -> None:
    expected = hmac.new(b"key", b"123.{}", hashlib.sha256).hexdigest()
    assert sign_body(b"123.{}", "key") == f"sha256={expected}"
    assert sign_body(b"123.{}", "other") != sign_body(b"123.{}", "key")


def test_webhook_is_signed_over_timestamp_and_body_and_carries_the_idempotency_key() -> None:
    payload = {"idempotency_key": "escalation-7", "text": "شکایت <script>alert(1)</script>"}
    with WebhookReceiver(secret="s3cret") as receiver:
        delivery = post_webhook(receiver.url, payload, secret="s3cret", timeout=5)
    assert delivery.succeeded and delivery.status_code == 200 and delivery.error is None
    [got] = receiver.received
    assert got.payload == payload  # the exact bytes the signature covers
    assert got.headers["Idempotency-Key"] == "escalation-7"
    assert got.headers["Content-Type"].startswith("application/json")


def test_a_wrong_secret_is_refused_by_the_receiver_and_reported() -> None:
    with WebhookReceiver(secret="s3cret") as receiver:
        delivery = post_webhook(receiver.url, {"a": 1}, secret="wrong", timeout=5)
    assert not delivery.succeeded and delivery.status_code == 401
    assert receiver.rejected == ["bad signature"] and receiver.received == []
    assert "answered HTTP 401" in (delivery.error or "")


def test_non_2xx_is_a_failure_naming_only_scheme_and_host() -> None:
    with WebhookReceiver(secret=None, fail_first=1, fail_status=500) as receiver:
        delivery = post_webhook(receiver.url, {"a": 1}, secret=None, timeout=5)
    assert (delivery.succeeded, delivery.status_code) == (False, 500)
    assert delivery.error is not None and "token=abc" not in delivery.error
    assert "/hooks" not in delivery.error and "http://127.0.0.1:" in delivery.error


def test_unreachable_and_malformed_urls_never_raise() -> None:
    refused = post_webhook(f"http://127.0.0.1:{free_port()}/x", {}, secret=None, timeout=2)
    bad = post_webhook("not a url", {}, secret=None, timeout=2)
    assert not refused.succeeded and refused.status_code is None
    assert refused.error is not None and refused.error.startswith("cannot reach http://127.0.0.1")
    assert not bad.succeeded and bad.error


def test_a_slow_receiver_times_out_as_a_failure() -> None:
    with WebhookReceiver(secret=None, delay=1.0) as receiver:
        delivery = post_webhook(receiver.url, {}, secret=None, timeout=0.2)
    assert not delivery.succeeded and "did not answer within 0.2 s" in (delivery.error or "")


def test_an_injected_client_is_used() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(204)

    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        delivery = post_webhook(
            "https://hooks.example/x", {"a": 1}, secret="k", timeout=1, client=client
        )
    assert delivery.succeeded and seen[0].headers["X-Socialcrm-Signature"].startswith("sha256=")


def test_safe_url_keeps_only_scheme_host_and_port() -> None:
    assert safe_url("https://hooks.slack.com/services/T0/B0/SECRET") == "https://hooks.slack.com"
    assert safe_url("http://user:pw@127.0.0.1:8080/a?b=c") == "http://127.0.0.1:8080"


def _smtp(port: int, **overrides: object) -> SmtpSettings:
    fields: dict[str, object] = {"host": "127.0.0.1", "port": port, "tls": "none"}
    fields.update(overrides)
    return SmtpSettings.model_validate(fields)


def test_email_reaches_a_real_smtp_server_with_html_and_attachment() -> None:
    with SmtpReceiver() as server:
        delivery = send_email(
            _smtp(server.port, sender="crm@brand.example"),
            to=["lead@brand.example", "ops@brand.example"],
            subject="Escalation\r\nBcc: victim@evil.example",
            text="plain body",
            html="<p>html body</p>",
            attachments=[("report.csv", b"a,b\n1,2\n", "text/csv")],
        )
    assert delivery.succeeded and delivery.status_code == 250
    [(envelope, message)] = server.messages
    assert sorted(envelope.rcpt_tos) == ["lead@brand.example", "ops@brand.example"]
    assert message["Subject"] == "Escalation Bcc: victim@evil.example"  # one line, no new header
    assert message["Bcc"] is None and message["From"] == "crm@brand.example"
    assert message.get_body(("plain",)).get_content().strip() == "plain body"  # type: ignore[union-attr]
    assert "<p>html body</p>" in message.get_body(("html",)).get_content()  # type: ignore[union-attr]
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "report.csv" and attachment.get_content() == "a,b\n1,2\n"


def test_email_failures_are_deliveries_not_exceptions() -> None:
    nobody = send_email(_smtp(free_port()), to=["a@b.example"], subject="s", text="t")
    no_host = send_email(SmtpSettings(), to=["a@b.example"], subject="s", text="t")
    bad_to = send_email(_smtp(25), to=["a@b.example\r\nX: y"], subject="s", text="t")
    assert not nobody.succeeded and "cannot send through 127.0.0.1" in (nobody.error or "")
    assert not no_host.succeeded and "smtp.host" in (no_host.error or "")
    assert not bad_to.succeeded and "cannot build the e-mail" in (bad_to.error or "")


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
def test_email_login_is_used_and_a_wrong_password_is_explained() -> None:
    with SmtpReceiver(login=("bot", "pw")) as server:
        good = send_email(
            _smtp(server.port, username="bot", password="pw"),
            to=["a@b.example"],
            subject="s",
            text="t",
        )
        bad = send_email(
            _smtp(server.port, username="bot", password="nope"),
            to=["a@b.example"],
            subject="s",
            text="t",
        )
    assert good.succeeded and server.logins == ["bot"]
    assert not bad.succeeded and bad.status_code == 535
    assert "check smtp.username and smtp.password" in (bad.error or "")
    assert "nope" not in (bad.error or "")


@pytest.fixture
def tls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ssl.SSLContext:
    """A server context with a certificate for 127.0.0.1 that the client is made to trust."""
    x509 = pytest.importorskip("cryptography.x509")
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    monkeypatch.setenv("SSL_CERT_FILE", str(cert_file))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_file, key_file)
    return context


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
@pytest.mark.parametrize("mode", ["starttls", "ssl"])
def test_email_over_tls_with_a_verified_certificate(tls: ssl.SSLContext, mode: str) -> None:
    with SmtpReceiver(tls_context=tls, implicit_tls=mode == "ssl", login=("bot", "pw")) as server:
        delivery = send_email(
            _smtp(server.port, tls=mode, username="bot", password="pw"),
            to=["a@b.example"],
            subject="over TLS",
            text="t",
        )
    assert delivery.succeeded, delivery.error
    assert [m["Subject"] for _, m in server.messages] == ["over TLS"] and server.logins == ["bot"]


def test_starttls_against_a_server_without_it_fails_clearly() -> None:
    with SmtpReceiver() as server:
        delivery = send_email(
            _smtp(server.port, tls="starttls"), to=["a@b.example"], subject="s", text="t"
        )
    assert not delivery.succeeded and server.messages == []
    assert "STARTTLS" in (delivery.error or "") or "starttls" in (delivery.error or "")

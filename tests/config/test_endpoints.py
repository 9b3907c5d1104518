"""The address checks and the tweepy redirect that collectors and senders share."""

from __future__ import annotations

import pytest

from config.endpoints import RedirectSession, instance_url


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("mastodon.social", "https://mastodon.social"),
        ("https://mastodon.social/", "https://mastodon.social"),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
        ("http://localhost:3000/", "http://localhost:3000"),
    ],
)
def test_instance_addresses_get_a_scheme_and_lose_the_slash(given: str, expected: str) -> None:
    assert instance_url(given) == expected


@pytest.mark.parametrize(
    ("given", "problem"),
    [
        ("http://mastodon.social", "must use https://"),
        ("ftp://mastodon.social", "is not an instance address"),
        ("https://", "is not an instance address"),
    ],
)
def test_unusable_addresses_are_refused_naming_the_setting(given: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem) as refused:
        instance_url(given)
    assert "mastodon.api_base_url" in str(refused.value)


def test_tweepy_requests_go_to_our_host_with_a_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[str, object]] = []

    def fake_request(self: object, method: str, url: str, *args: object, **kwargs: object) -> str:
        seen.append((url, kwargs.get("timeout")))
        return "ok"

    monkeypatch.setattr("requests.Session.request", fake_request)
    session = RedirectSession("http://127.0.0.1:9/", timeout=3.0)
    session.request("GET", b"https://api.twitter.com/2/tweets/search/recent?query=a")
    session.request("GET", "https://elsewhere.example/x", timeout=1.0)
    assert seen == [
        ("http://127.0.0.1:9/2/tweets/search/recent?query=a", 3.0),
        ("https://elsewhere.example/x", 1.0),
    ]

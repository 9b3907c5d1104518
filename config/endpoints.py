"""How platform clients reach the API address in settings, for collectors and senders alike.

Reading (``listener/``) and writing (``responders/senders/``) build their clients
from the same settings; the address checks and the redirect live here once, so
both sides accept and refuse exactly the same addresses.
"""

from __future__ import annotations

import ipaddress
from typing import Any
from urllib.parse import urlsplit

import requests

__all__ = ["TWEEPY_HOST", "RedirectSession", "instance_url"]

TWEEPY_HOST = "https://api.twitter.com"  # hard-coded in tweepy.Client.request


class RedirectSession(requests.Session):
    """A session that sends tweepy's fixed host to ``base_url`` and always sets a timeout."""

    def __init__(self, base_url: str, *, timeout: float) -> None:
        super().__init__()
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def request(
        self, method: str, url: str | bytes, *args: Any, **kwargs: Any
    ) -> requests.Response:
        """The request tweepy asked for, at our host, with a timeout."""
        url = url.decode() if isinstance(url, bytes) else url
        if url.startswith(TWEEPY_HOST + "/") and self.base_url != TWEEPY_HOST:
            url = self.base_url + url[len(TWEEPY_HOST) :]
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.timeout
        return super().request(method, url, *args, **kwargs)


def instance_url(value: str, *, setting: str = "mastodon.api_base_url") -> str:
    """An instance address with a scheme; plain http only to this machine (a token is sent).

    Raises ValueError with a sentence naming ``setting`` when the address cannot be used.
    """
    url = value.strip()
    url = (url if "://" in url else f"https://{url}").rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{setting} {value!r} is not an instance address")
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise ValueError(
            f"{setting} must use https:// (http would send the access token "
            "in clear text); plain http is allowed only for localhost"
        )
    return url


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"

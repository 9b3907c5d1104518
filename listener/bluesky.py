"""The Bluesky collector: Jetstream to listen, authenticated search only to backfill.

Bluesky asks monitors to read Jetstream (its JSON firehose with a microsecond
``time_us`` cursor) rather than poll ``app.bsky.feed.searchPosts``. So search
runs only when there is history to fill: on the first run (``backfill`` back
from now) and after downtime longer than Jetstream keeps events. Every other
run reads Jetstream from the stored time minus ``rewind``; the mentions already
taken inside that rewound window are remembered in the cursor and dropped, so
nothing repeats and nothing falls between two connections.

A post is a mention when its text names the brand's handle or a keyword
(case-insensitive, whole words), when a facet mentions the brand's DID, or
when it replies to or quotes one of the brand's posts. The brand's own posts
never are. The cursor is JSON, moves forward only and is safe to store with
the batch it came with::

    {"jetstream_time_us": 1732270000000000,   # newest event read (null until backfilled)
     "recent": {"at://did:plc:…/app.bsky.feed.post/3l…": 1732269998000000},
     "search": {"since": "…", "started_us": …,  # present only while a backfill runs
                "queries": {"acme": {"cursor": "…", "done": false, "newest": "…", "oldest": "…"}}}}

Matching and mapping posts live in :mod:`listener.bluesky_mapping`.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any, Self
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from atproto import Client, models
from atproto_client.exceptions import (
    BadRequestError,
    LoginRequiredError,
    NetworkError,
    RateLimitExceededError,
    UnauthorizedError,
)
from atproto_client.request import Request
from atproto_core.exceptions import AtProtocolError
from websockets.exceptions import ConnectionClosed, InvalidStatus, WebSocketException
from websockets.sync.client import ClientConnection, connect

from config.settings import BlueskySettings, Settings
from crm.schemas import AuthorIn, MentionIn
from crm.types import utcnow
from listener.base import Batch, Gap, Skipped
from listener.bluesky_mapping import (
    POST,
    Matcher,
    as_list,
    as_str,
    author_fields,
    field_of,
    micros,
    parse_iso,
    to_mention,
    zulu,
)
from listener.errors import (
    AuthFailed,
    MalformedPayload,
    NotConfigured,
    RateLimited,
    SourceUnavailable,
)

__all__ = ["BlueskyCollector", "Matcher", "create_client", "jetstream_url", "to_mention"]

logger = logging.getLogger(__name__)

_PROFILES_PER_CALL = 25  # app.bsky.actor.getProfiles accepts at most 25 actors


def create_client(settings: BlueskySettings) -> Client:
    """A signed-in atproto client; the only place one is built."""
    if not settings.handle or settings.app_password is None:
        raise NotConfigured("set bluesky.handle and bluesky.app_password to search Bluesky")
    client = Client(
        base_url=settings.api_base_url, request=Request(timeout=settings.timeout_seconds)
    )
    client.login(settings.handle.lstrip("@"), settings.app_password.get_secret_value())
    return client


def jetstream_url(base: str, *, cursor_us: int | None) -> str:
    """The Jetstream subscribe address for posts, resuming at ``cursor_us`` when given."""
    parts = urlsplit(base)
    query = [*parse_qsl(parts.query), ("wantedCollections", POST)]
    if cursor_us is not None:
        query.append(("cursor", str(cursor_us)))
    return urlunsplit(parts._replace(query=urlencode(query)))


@contextmanager
def _sdk_errors(doing: str) -> Iterator[None]:
    """Translate atproto's exceptions into the listener's, with the SDK error as the cause."""
    try:
        yield
    except RateLimitExceededError as exc:
        reset = exc.reset_at
        wait = (reset - utcnow()).total_seconds() if reset else exc.retry_after
        retry_after = max(wait, 0.0) if wait is not None else None
        raise RateLimited(retry_after, f"Bluesky rate limit reached while {doing}") from exc
    except (UnauthorizedError, LoginRequiredError) as exc:
        raise AuthFailed("bluesky.app_password", f"Bluesky refused it while {doing}.") from exc
    except NetworkError as exc:
        raise SourceUnavailable(f"Bluesky did not answer while {doing}: {exc!r}") from exc
    except AtProtocolError as exc:
        raise SourceUnavailable(f"Bluesky failed while {doing}: {exc}") from exc


class BlueskyCollector:
    """Mentions of the brand on Bluesky: Jetstream to listen, search to backfill."""

    name = "bluesky"

    def __init__(
        self,
        settings: BlueskySettings,
        *,
        listen_seconds: float = 5.0,
        idle_seconds: float = 1.0,
        open_timeout: float = 10.0,
        max_events: int = 50_000,
        rewind: timedelta = timedelta(seconds=5),
        backfill: timedelta = timedelta(days=7),
        jetstream_retention: timedelta = timedelta(hours=24),
        search_lag: timedelta = timedelta(minutes=1),
        max_pages: int = 10,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.settings = settings
        self.handle = (settings.handle or "").lstrip("@").casefold()
        queries: dict[str, str] = {}
        for term in (self.handle, *(k.strip() for k in settings.keywords)):
            if term:
                queries.setdefault(term.casefold(), term)
        self.queries = list(queries.values())
        self.listen_seconds, self.idle_seconds = listen_seconds, idle_seconds
        self.open_timeout, self.max_events, self.max_pages = open_timeout, max_events, max_pages
        self.rewind_us = int(rewind.total_seconds() * 1_000_000)
        self.backfill, self.retention, self.search_lag = backfill, jetstream_retention, search_lag
        self.clock = clock
        self._client: Client | None = None
        self._matcher: Matcher | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> Self:
        """A collector for ``settings.bluesky``; off (NotConfigured) without the brand's account."""
        bluesky = settings.bluesky
        if not bluesky.handle or not bluesky.handle.strip("@ "):
            raise NotConfigured(
                "set bluesky.handle (the brand's handle, e.g. acme.bsky.social) to match "
                "mentions, and bluesky.keywords for other words to listen for"
            )
        if bluesky.app_password is None or not bluesky.app_password.get_secret_value():
            raise NotConfigured(
                "set bluesky.app_password (an app password for bluesky.handle); search needs it"
            )
        if urlsplit(bluesky.jetstream_url).scheme not in ("ws", "wss"):
            raise NotConfigured("bluesky.jetstream_url must start with wss:// (or ws://)")
        return cls(bluesky, open_timeout=bluesky.timeout_seconds)

    def fetch(self, cursor: str | None, *, limit: int) -> Batch:
        """Backfill by search when there is history to fill, otherwise listen to Jetstream."""
        state = _load_state(cursor)
        now = self.clock()
        stored = state.get("jetstream_time_us")
        if state.get("search") is None and (
            stored is None or micros(now - self.retention) > stored
        ):
            since = now - self.backfill
            if stored is not None:
                since = datetime.fromtimestamp((stored - self.rewind_us) / 1_000_000, UTC)
            state["search"] = self._new_backfill(since=since, now=now)
        try:
            if state.get("search") is not None:
                return self._backfill(state, limit=limit)
            return self._listen(state, limit=limit)
        except AuthFailed:
            self._client = self._matcher = None  # sign in afresh once the credential is fixed
            raise

    # --- search backfill -------------------------------------------------------------------

    def _new_backfill(self, *, since: datetime, now: datetime) -> dict[str, Any]:
        queries = {
            q: {"cursor": None, "done": False, "newest": None, "oldest": None} for q in self.queries
        }
        return {"since": zulu(since), "started_us": micros(now), "queries": queries}

    def _backfill(self, state: dict[str, Any], *, limit: int) -> Batch:
        client, matcher = self._signed_in()
        search = state["search"]
        batch, seen, pages = Batch(exhausted=False), set[str](), 0
        for query, progress in search["queries"].items():
            while not progress["done"] and len(batch.mentions) < limit and pages < self.max_pages:
                pages += 1
                want = min(100, limit - len(batch.mentions))
                posts = self._search_page(
                    client, query, progress, since=search["since"], want=want, batch=batch
                )
                self._take_posts(posts, matcher=matcher, batch=batch, seen=seen)
        if all(progress["done"] for progress in search["queries"].values()):
            resume = search["started_us"] - int(self.search_lag.total_seconds() * 1_000_000)
            state["jetstream_time_us"] = max(state.get("jetstream_time_us") or 0, resume)
            state["search"] = None
        batch.cursor = _dump_state(state)
        return batch

    def _search_page(
        self,
        client: Client,
        query: str,
        progress: dict[str, Any],
        *,
        since: str,
        want: int,
        batch: Batch,
    ) -> list[Any]:
        params = models.AppBskyFeedSearchPosts.Params(
            q=query, sort="latest", since=since, limit=max(want, 1), cursor=progress["cursor"]
        )
        try:
            with _sdk_errors(f"searching for {query!r}"):
                # Raw JSON: one invalid post is skipped, not the whole page (atproto#3446).
                response = client.invoke_query("app.bsky.feed.searchPosts", params=params)
        except SourceUnavailable as exc:
            if not (isinstance(exc.__cause__, BadRequestError) and progress["cursor"]):
                raise
            # Search cursors give out after some thousands of results; say so rather than spin.
            progress["done"] = True
            batch.skipped.append(Skipped(f"search {query!r}", f"search stopped paging: {exc}"))
            batch.gaps.append(
                Gap(since, progress["oldest"], f"bluesky search {query!r} stopped paging: {exc}")
            )
            return []
        content = response.content if isinstance(response.content, dict) else {}
        posts = as_list(content.get("posts"))
        progress["cursor"] = as_str(content.get("cursor"))
        progress["done"] = not posts or progress["cursor"] is None
        newest = [t for p in posts if (t := parse_iso(field_of(p, "indexedAt"))) is not None]
        if newest:
            known = parse_iso(progress["newest"])
            progress["newest"] = zulu(max([*newest, *([known] if known else [])]))
            oldest = parse_iso(progress.get("oldest"))
            progress["oldest"] = zulu(min([*newest, *([oldest] if oldest else [])]))
        return posts

    def _take_posts(
        self, posts: list[Any], *, matcher: Matcher, batch: Batch, seen: set[str]
    ) -> None:
        for post in posts:
            try:
                mention = to_mention(post)
            except MalformedPayload as exc:
                batch.skipped.append(Skipped(exc.where, exc.why))
                continue
            author = mention.author.platform_user_id
            if mention.external_id not in seen and matcher.matches(
                field_of(post, "record"), author_did=author
            ):
                seen.add(mention.external_id)
                batch.mentions.append(mention)

    # --- Jetstream ---------------------------------------------------------------------------

    def _listen(self, state: dict[str, Any], *, limit: int) -> Batch:
        client, matcher = self._signed_in()
        stored: int = state["jetstream_time_us"]
        seen: dict[str, int] = dict(state.get("recent") or {})
        batch, newest, behind = Batch(), stored, False
        live_us = micros(self.clock())
        deadline = time.monotonic() + self.listen_seconds
        url = jetstream_url(self.settings.jetstream_url, cursor_us=stored - self.rewind_us)
        with self._connect(url) as ws:
            for count, message in enumerate(self._messages(ws, deadline), start=1):
                time_us = self._take_event(message, matcher=matcher, batch=batch, seen=seen)
                newest = max(newest, time_us or 0)
                if len(batch.mentions) >= limit or count >= self.max_events:
                    behind = True
                    break
                if newest >= live_us:  # caught up with the moment this fetch began
                    break
            else:
                behind = time.monotonic() >= deadline
        self._add_profiles(client, batch.mentions)
        state["jetstream_time_us"] = newest
        state["recent"] = {u: t for u, t in seen.items() if t >= newest - self.rewind_us}
        batch.cursor = _dump_state(state)
        batch.exhausted = not behind
        return batch

    @contextmanager
    def _connect(self, url: str) -> Iterator[ClientConnection]:
        try:
            ws = connect(url, open_timeout=self.open_timeout, close_timeout=1, max_size=2**24)
        except InvalidStatus as exc:
            response = exc.response
            if response.status_code == 429:
                retry = response.headers.get("Retry-After")
                wait = float(retry) if retry and retry.isdigit() else None
                raise RateLimited(wait, "Jetstream refused the connection: 429") from exc
            raise SourceUnavailable(f"Jetstream refused the connection: {exc}") from exc
        except (OSError, TimeoutError, WebSocketException) as exc:
            raise SourceUnavailable(f"cannot reach Jetstream: {exc!r}") from exc
        with ws:
            yield ws

    def _messages(self, ws: ClientConnection, deadline: float) -> Iterator[str | bytes]:
        """Messages until the deadline or ``idle_seconds`` of silence, or a drop after some."""
        received = 0
        while (remaining := deadline - time.monotonic()) > 0:
            try:
                yield ws.recv(timeout=min(remaining, self.idle_seconds))
            except TimeoutError:
                return
            except ConnectionClosed as exc:
                if received == 0:
                    raise SourceUnavailable(f"Jetstream closed the connection: {exc}") from exc
                return
            received += 1

    def _take_event(
        self, message: str | bytes, *, matcher: Matcher, batch: Batch, seen: dict[str, int]
    ) -> int | None:
        """Add the event's mention to the batch if it is one; return its time_us."""
        try:
            event = json.loads(message)
        except (ValueError, UnicodeDecodeError) as exc:
            batch.skipped.append(Skipped("jetstream message", f"not JSON ({exc})"))
            return None
        time_us = field_of(event, "time_us")
        if not isinstance(time_us, int):
            batch.skipped.append(Skipped("jetstream message", "no integer time_us"))
            return None
        commit = field_of(event, "commit")
        if field_of(commit, "collection") == POST and field_of(commit, "operation") == "delete":
            # Any post on the network; the runner purges only the ones it stored.
            batch.deleted.append(f"at://{event.get('did')}/{POST}/{commit.get('rkey')}")
            return time_us
        if field_of(commit, "operation") != "create" or field_of(commit, "collection") != POST:
            return time_us
        uri = f"at://{event.get('did')}/{POST}/{commit.get('rkey')}"
        if uri in seen or not matcher.matches(
            field_of(commit, "record"), author_did=event.get("did")
        ):
            return time_us
        seen[uri] = time_us
        try:
            batch.mentions.append(to_mention(event))
        except MalformedPayload as exc:
            batch.skipped.append(Skipped(exc.where, exc.why))
        return time_us

    def _add_profiles(self, client: Client, mentions: list[MentionIn]) -> None:
        """Fill in handle, name and followers, which Jetstream events do not carry."""
        dids = list(dict.fromkeys(m.author.platform_user_id for m in mentions))
        profiles: dict[str, Mapping[str, Any]] = {}
        for start in range(0, len(dids), _PROFILES_PER_CALL):
            params = models.AppBskyActorGetProfiles.Params(
                actors=dids[start : start + _PROFILES_PER_CALL]
            )
            with _sdk_errors("reading authors' profiles"):
                response = client.invoke_query("app.bsky.actor.getProfiles", params=params)
            content = response.content if isinstance(response.content, dict) else {}
            profiles.update(
                (p["did"], p) for p in as_list(content.get("profiles")) if field_of(p, "did")
            )
        for index, mention in enumerate(mentions):
            profile = profiles.get(mention.author.platform_user_id)
            if profile is not None:
                author = AuthorIn.model_validate(
                    author_fields(mention.author.platform_user_id, profile)
                )
                mentions[index] = mention.model_copy(update={"author": author})

    # --- the brand's account -----------------------------------------------------------------

    def _signed_in(self) -> tuple[Client, Matcher]:
        """The signed-in client and a matcher knowing the brand's DID; one login per instance."""
        if self._client is None or self._matcher is None:
            with _sdk_errors("signing in"):
                client = create_client(self.settings)
            if client.me is None:
                raise SourceUnavailable(
                    "signed in to Bluesky but could not read the brand's profile"
                )
            self._matcher = Matcher(
                handle=self.handle, keywords=self.settings.keywords, did=client.me.did
            )
            self._client = client
        return self._client, self._matcher


def _load_state(cursor: str | None) -> dict[str, Any]:
    """The stored cursor; one that cannot be read starts over with a backfill (dedup saves us)."""
    if not cursor:
        return {"jetstream_time_us": None, "recent": {}, "search": None}
    try:
        state = json.loads(cursor)
        time_us = state.get("jetstream_time_us")
        if time_us is not None and not isinstance(time_us, int):
            raise ValueError("jetstream_time_us is not an integer")
        if not isinstance(state.get("recent", {}), dict) or not isinstance(
            state.get("search") or {}, dict
        ):
            raise ValueError("recent or search has the wrong shape")
    except (ValueError, AttributeError) as exc:
        logger.warning("unreadable Bluesky cursor (%s); starting over with a backfill", exc)
        return _load_state(None)
    return dict(state)


def _dump_state(state: dict[str, Any]) -> str:
    return json.dumps(state, sort_keys=True, separators=(",", ":"))

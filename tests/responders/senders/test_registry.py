"""The sender registry: every platform listed, SDKs imported lazily, reasons for the rest."""

from __future__ import annotations

import pytest

from config.settings import BlueskySettings, MastodonSettings, Settings
from responders.senders.registry import SENDERS, choose_senders, load_sender_class


def test_every_platform_has_a_sender_class_of_its_name() -> None:
    assert set(SENDERS) == {"x", "reddit", "mastodon", "bluesky"}
    for name in SENDERS:
        assert load_sender_class(name).name == name


def test_without_credentials_each_platform_says_which_settings_to_set(settings: Settings) -> None:
    choice = choose_senders(settings, ["x", "reddit", "mastodon", "bluesky", "myspace"])

    assert choice.enabled == {}
    assert "SOCIALCRM_X__CONSUMER_KEY" in choice.off["x"]
    assert "SOCIALCRM_REDDIT__CLIENT_ID" in choice.off["reddit"]
    assert "SOCIALCRM_MASTODON__ACCESS_TOKEN" in choice.off["mastodon"]
    assert "SOCIALCRM_BLUESKY__HANDLE" in choice.off["bluesky"]
    assert "myspace" in choice.off["myspace"]


def test_configured_platforms_are_built_without_touching_the_network(settings: Settings) -> None:
    configured = settings.model_copy(
        update={
            "mastodon": MastodonSettings(api_base_url="https://127.0.0.1:9", access_token="t"),
            "bluesky": BlueskySettings(
                handle="acme.bsky.social", app_password="p", api_base_url="http://127.0.0.1:9"
            ),
        }
    )

    choice = choose_senders(configured, ["mastodon", "bluesky"])

    assert sorted(choice.enabled) == ["bluesky", "mastodon"]


def test_an_unknown_name_is_refused() -> None:
    with pytest.raises(ValueError, match="no sender"):
        load_sender_class("myspace")

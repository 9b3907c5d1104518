"""Logs are JSON lines with their extras, and never carry a credential."""

from __future__ import annotations

import json
import logging

from socialcrm.logs import JsonFormatter, redact


def _format(message: str, *args: object, **extra: object) -> dict[str, object]:
    record = logging.getLogger("socialcrm.test").makeRecord(
        "socialcrm.test", logging.WARNING, __file__, 1, message, args, None, extra=extra
    )
    return dict(json.loads(JsonFormatter().format(record)))


def test_a_record_is_one_json_object_with_its_extras() -> None:
    entry = _format("source %s failed", "replay", source="replay", fetched=3)
    assert entry["message"] == "source replay failed"
    assert (entry["level"], entry["logger"]) == ("warning", "socialcrm.test")
    assert (entry["source"], entry["fetched"]) == ("replay", 3)


def test_credentials_in_messages_and_extras_are_masked() -> None:
    entry = _format(
        "GET failed with Authorization: Bearer AAAAsecretTOKEN",
        headers="{'authorization': 'Bearer AAAAsecretTOKEN'}",
        url="https://x.test/?password=hunter2&q=ok",
    )
    text = json.dumps(entry)
    assert "AAAAsecretTOKEN" not in text
    assert "hunter2" not in text
    assert "q=ok" in text


def test_redact_leaves_ordinary_text_alone() -> None:
    assert redact("my token of appreciation") == "my token of appreciation"
    assert redact("battery caught fire") == "battery caught fire"
    assert redact("bearer_token='AAAA1234'") == "bearer_token='***'"


def test_url_encoded_x_tokens_are_masked_whole() -> None:
    token = "AAAAAAAAAAAAAAAAAAAAAMLheAAAAAAA0%2BuSeid%2BULvsea4JtiGRiSDSJSI%3DEUifiRBkKG5E2Xz"
    for line in (f"Authorization: Bearer {token}", f"{{'Authorization': 'Bearer {token}'}}"):
        masked = redact(line)
        assert "***" in masked
        assert "uSeid" not in masked and "EUifiRBk" not in masked

"""Settings: precedence, secrets, and errors that name the setting and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from config.settings import ConfigError, Settings, load_settings

EXAMPLE = Path(__file__).resolve().parents[2] / "config" / "socialcrm.example.toml"


def test_defaults_without_file_or_environment(settings: Settings) -> None:
    defaults = load_settings()
    assert defaults.database_url == "sqlite:///socialcrm.db"
    assert defaults.x.bearer_token is None
    assert defaults.replay.paths == []
    assert defaults.console.port == 8000


def test_toml_file_in_working_directory_is_read(settings: Settings) -> None:
    Path("socialcrm.toml").write_text('[x]\nquery = "@Acme OR #acme"\n', encoding="utf-8")
    assert load_settings().x.query == "@Acme OR #acme"


def test_environment_beats_the_file_and_nests_with_double_underscore(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    Path("socialcrm.toml").write_text(
        'database_url = "sqlite:///from-file.db"\n[x]\nquery = "from file"\n', encoding="utf-8"
    )
    monkeypatch.setenv("SOCIALCRM_DATABASE_URL", "sqlite:///from-env.db")
    monkeypatch.setenv("SOCIALCRM_X__BEARER_TOKEN", "AAAA-secret-token")
    monkeypatch.setenv("SOCIALCRM_REPLAY__PATHS", '["a.jsonl", "exports/*.jsonl"]')
    loaded = load_settings()
    assert loaded.database_url == "sqlite:///from-env.db"
    assert loaded.x.query == "from file"  # the file still fills what the environment does not
    assert loaded.x.bearer_token is not None
    assert loaded.x.bearer_token.get_secret_value() == "AAAA-secret-token"
    assert loaded.replay.paths == ["a.jsonl", "exports/*.jsonl"]


def test_secrets_never_show_in_repr_or_dumps(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOCIALCRM_REDDIT__CLIENT_SECRET", "hunter2-secret")
    loaded = load_settings()
    assert "hunter2-secret" not in repr(loaded)
    assert "hunter2-secret" not in loaded.model_dump_json()


def test_explicit_config_file_must_exist(settings: Settings) -> None:
    with pytest.raises(ConfigError, match="does not exist; create one with `socialcrm init`"):
        load_settings(Path("missing.toml"))


def test_broken_toml_names_the_file_and_line(settings: Settings) -> None:
    Path("broken.toml").write_text('[x]\nquery = "unterminated\n', encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings(Path("broken.toml"))
    assert "broken.toml is not valid TOML" in str(info.value)
    assert "line 2" in str(info.value)


def test_wrong_value_names_setting_env_variable_and_file(settings: Settings) -> None:
    Path("bad.toml").write_text('[console]\nport = "eighty"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings(Path("bad.toml"))
    message = str(info.value)
    assert "console.port" in message
    assert "SOCIALCRM_CONSOLE__PORT" in message
    assert "bad.toml" in message


def test_typo_in_a_setting_name_is_an_error(settings: Settings) -> None:
    Path("typo.toml").write_text("[reddit]\nsubredits = ['acme']\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"reddit\.subredits: is not a known setting"):
        load_settings(Path("typo.toml"))


def test_unknown_database_is_refused(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOCIALCRM_DATABASE_URL", "mysql://root@localhost/x")
    with pytest.raises(ConfigError, match="database_url: value error, must start with sqlite"):
        load_settings()


def test_wrong_secret_value_is_not_echoed(settings: Settings) -> None:
    Path("s.toml").write_text("[x]\nbearer_token = 12345\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings(Path("s.toml"))
    assert "12345" not in str(info.value)
    assert "x.bearer_token" in str(info.value)


def test_the_example_file_written_by_init_loads_and_shows_the_defaults(settings: Settings) -> None:
    assert load_settings(EXAMPLE).model_dump() == load_settings().model_dump()


def test_training_embeds_in_its_own_precision_whatever_this_cpu_judges_fastest(
    settings: Settings,
) -> None:
    from socialcrm.training_run import training_precision

    assert load_settings().training.precision == "int8"
    assert training_precision(load_settings()) == "int8"
    Path("socialcrm.toml").write_text(
        '[classifier]\nprecision = "bf16"\n[training]\nprecision = "auto"\n', encoding="utf-8"
    )
    assert training_precision(load_settings()) == "bf16"
    Path("socialcrm.toml").write_text('[training]\nprecision = "int4"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"training\.precision"):
        load_settings()

"""Configuration: loading, interpolation, validation messages, secrets and the directory."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest

from bot.config import Config, ConfigError, Directory, load_config, parse_config

REPO = Path(__file__).resolve().parent.parent
SHIPPED = REPO / "config.yaml"
SECRET = "xoxb-very-secret-4711"


def error_of(text: str, **environ: str) -> str:
    with pytest.raises(ConfigError) as caught:
        parse_config(text, environ=environ, source="config.yaml")
    return str(caught.value)


# --- loading -------------------------------------------------------------------------------------


def test_shipped_config_loads_with_empty_environment() -> None:
    config = load_config(SHIPPED, environ={})

    assert config.source == str(SHIPPED)
    assert config.store.url == "sqlite+aiosqlite:///var/progressbot.db"
    assert (config.api.host, config.api.port) == ("127.0.0.1", 8080)
    assert config.api.public_url == "http://127.0.0.1:8080"
    assert [t.get_secret_value() for t in config.api.tokens] == ["dev-token"]
    assert config.api.link_secret.get_secret_value() == ""  # generated and kept in the store
    assert not config.slack.enabled and config.slack.bot_token is None
    assert not config.telegram.enabled and not config.email.enabled
    assert config.console.enabled and config.console.person == "alice"
    assert set(config.users) == {"alice", "bob", "carol"}
    assert config.teams == {"crm-team": ["alice", "bob"]}
    assert config.notifications.max_attempts == 8
    assert config.demo.speed == 1.0


def test_shipped_config_turns_on_slack_from_environment() -> None:
    config = load_config(
        SHIPPED,
        environ={
            "PROGRESSBOT_SLACK_ENABLED": "true",
            "SLACK_BOT_TOKEN": "xoxb-1",
            "SLACK_APP_TOKEN": "xapp-1",
        },
    )
    assert config.slack.enabled
    assert config.slack.bot_token is not None
    assert config.slack.bot_token.get_secret_value() == "xoxb-1"


def test_config_path_comes_from_environment(tmp_path: Path) -> None:
    path = tmp_path / "other.yaml"
    path.write_text("api:\n  port: 9999\n")
    assert load_config(environ={"PROGRESSBOT_CONFIG": str(path)}).api.port == 9999


def test_missing_default_file_gives_builtin_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    config = load_config(environ={})
    assert config.source == "<defaults>"
    assert config.api.port == 8080
    assert config.console.person == "alice"
    assert config.directory().person_for("console", "alice") == "alice"


def test_explicit_missing_path_is_an_error_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    with pytest.raises(ConfigError, match=r"nope\.yaml"):
        load_config(missing, environ={})
    with pytest.raises(ConfigError, match=r"nope\.yaml"):
        load_config(environ={"PROGRESSBOT_CONFIG": str(missing)})


def test_yaml_syntax_error_names_file_and_line() -> None:
    message = error_of("api:\n  host: 127.0.0.1\n  port: [8080\n")
    assert message.startswith("config.yaml: line 4")


def test_key_given_twice_is_an_error() -> None:
    assert "line 3" in error_of("api:\n  port: 1\n  port: 2\n")


def test_clock_times_stay_times() -> None:
    config = parse_config("notifications:\n  quiet_hours: {start: 22:00, end: 07:00}\n")
    hours = config.notifications.quiet_hours
    assert hours is not None and (hours.start, hours.end) == (time(22), time(7))


# --- interpolation -------------------------------------------------------------------------------


def test_interpolation_uses_default_or_environment() -> None:
    text = "store:\n  url: sqlite+aiosqlite:///${DIR:-var}/${NAME:-bot}.db\n"
    assert parse_config(text, environ={}).store.url == "sqlite+aiosqlite:///var/bot.db"
    assert (
        parse_config(text, environ={"DIR": "/srv", "NAME": "pb"}).store.url
        == "sqlite+aiosqlite:////srv/pb.db"
    )


def test_interpolated_numbers_and_flags_are_typed() -> None:
    config = parse_config(
        "api:\n  port: ${PORT}\nconsole:\n  enabled: ${ON}\n",
        environ={"PORT": "9000", "ON": "false"},
    )
    assert config.api.port == 9000
    assert config.console.enabled is False


def test_double_dollar_escapes() -> None:
    config = parse_config("users:\n  alice:\n    name: $${HOME} and ${X:-y}\n", environ={})
    assert config.users["alice"].name == "${HOME} and y"


def test_unset_variable_names_variable_and_key() -> None:
    message = error_of("slack:\n  bot_token: ${SLACK_BOT_TOKEN}\n")
    assert "slack.bot_token" in message
    assert "SLACK_BOT_TOKEN" in message


# --- validation messages -------------------------------------------------------------------------


def test_unknown_top_level_key_is_named() -> None:
    message = error_of("slak:\n  enabled: true\n")
    assert message.startswith("config.yaml: slak: unknown key")
    assert "slack" in message


@pytest.mark.parametrize(
    ("given", "used"),
    [
        ("postgresql://bot:pw@db:5432/progress", "postgresql+asyncpg://bot:pw@db:5432/progress"),
        ("postgres://bot@db/progress", "postgresql+asyncpg://bot@db/progress"),
        ("sqlite:///var/p.db", "sqlite+aiosqlite:///var/p.db"),
        ("postgresql+asyncpg://bot@db/progress", "postgresql+asyncpg://bot@db/progress"),
    ],
)
def test_a_store_url_without_a_driver_gets_the_installed_async_one(given: str, used: str) -> None:
    config = parse_config(f"store:\n  url: {given}\n", environ={}, source="config.yaml")
    assert config.store.url == used


@pytest.mark.parametrize(
    ("given", "named"),
    [
        ("postgresql+psycopg2://bot@db/progress", "'psycopg2' driver is not supported"),
        ("mysql://bot@db/progress", "'mysql' is not a supported database"),
        ("progress.db", "not a database URL"),
    ],
)
def test_a_store_url_the_bot_cannot_use_is_refused_by_name(given: str, named: str) -> None:
    message = error_of(f"store:\n  url: {given}\n")
    assert message.startswith("config.yaml: store.url: ")
    assert named in message


def test_unknown_nested_key_is_named() -> None:
    assert error_of("users:\n  alice: {nmae: Alice}\n").startswith(
        "config.yaml: users.alice.nmae: unknown key"
    )


def test_wrong_type_names_key_and_expected_type() -> None:
    assert error_of("api:\n  port: eighty\n") == (
        "config.yaml: api.port: expected an integer, got 'eighty'"
    )


def test_bad_enum_value_lists_choices() -> None:
    assert error_of("slack:\n  mode: websocket\n") == (
        "config.yaml: slack.mode: expected 'socket' or 'http', got 'websocket'"
    )


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("slack: {enabled: true}", "slack.bot_token"),
        ("slack: {enabled: true, bot_token: b}", "slack.app_token"),
        ("slack: {enabled: true, mode: http, bot_token: b}", "slack.signing_secret"),
        ("telegram: {enabled: true}", "telegram.token"),
        ("telegram: {enabled: true, mode: webhook, token: t}", "telegram.webhook_url"),
        (
            "telegram: {enabled: true, mode: webhook, token: t, webhook_url: 'https://x'}",
            "telegram.webhook_secret",
        ),
        ("email: {enabled: true, from_address: a@b.c}", "email.host"),
        ("email: {enabled: true, host: smtp}", "email.from_address"),
    ],
)
def test_enabled_channel_requires_its_credentials(text: str, key: str) -> None:
    assert error_of(text).startswith(f"config.yaml: {key}: required when")


def test_empty_token_from_environment_counts_as_missing() -> None:
    assert "slack.bot_token" in error_of("slack:\n  enabled: true\n  bot_token: ${T:-}\n")


def test_team_with_unknown_person_is_an_error() -> None:
    message = error_of("users: {alice: {}}\nteams:\n  crm-team: [alice, dave]\n")
    assert message == "config.yaml: teams.crm-team: unknown person 'dave'"


def test_unknown_console_person_is_an_error() -> None:
    assert "console.person" in error_of("users: {bob: {}}\n")


def test_identity_used_twice_is_an_error() -> None:
    message = error_of("users:\n  alice: {telegram: 5}\n  bob: {telegram: '5'}\n")
    assert message.startswith("config.yaml: users.bob.telegram:")


def test_every_problem_is_reported() -> None:
    message = error_of("api: {port: x, host: [1]}\ndemo: {speed: 0}\n")
    assert "api.port" in message and "api.host" in message and "demo.speed" in message


# --- secrets -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        f"slack: {{enabled: true, mode: http, bot_token: {SECRET}}}",
        f"slack: {{bot_token: {SECRET}, mode: websocket}}",
        f"slack: {{bot_token: [{SECRET}]}}",
        f"slack: {{bot_tokn: {SECRET}}}",
        f"email: {{password: {SECRET}, port: x}}",
        f"api: {{tokens: [{SECRET}, [1]]}}",
        f"telegram: {{token: {SECRET}: oops}}",
        f"telegram:\n  token: {SECRET}\n   bad: indent\n",
    ],
)
def test_secret_never_in_error_message(text: str) -> None:
    assert SECRET not in error_of(text)


def test_secret_never_in_repr_or_redacted_dict() -> None:
    config = parse_config(
        f"""
api: {{tokens: [{SECRET}], link_secret: {SECRET}}}
slack: {{enabled: true, bot_token: {SECRET}, app_token: {SECRET}}}
telegram: {{token: {SECRET}, webhook_secret: {SECRET}}}
email: {{password: {SECRET}}}
""",
        environ={},
    )
    for text in (repr(config), str(config), repr(config.slack), str(config.redacted_dict())):
        assert SECRET not in text
    shown = config.redacted_dict()
    assert shown["slack"]["bot_token"] == "***"
    assert shown["api"]["tokens"] == [
        {"name": "token-1", "token": "***", "role": "engine", "persons": []}
    ]
    assert shown["telegram"]["token"] == "***"
    assert shown["slack"]["signing_secret"] is None


# --- directory -----------------------------------------------------------------------------------


@pytest.fixture
def directory() -> Directory:
    return load_config(SHIPPED, environ={}).directory()


def test_directory_maps_platform_users_to_people(directory: Directory) -> None:
    assert directory.person_for("slack", "U0ALICE01") == "alice"
    assert directory.person_for("telegram", "100000002") == "bob"
    assert directory.person_for("email", "Carol@Example.com") == "carol"
    assert directory.person_by_email("alice@example.com") == "alice"
    assert directory.person_for("console", "bob") == "bob"
    assert directory.person_for("web", "carol") == "carol"
    assert directory.person_for("api", "mallory") is None
    assert directory.person_for("slack", "U0NOBODY") is None
    assert directory.person_for("irc", "alice") is None


def test_directory_teams_and_names(directory: Directory) -> None:
    assert directory.teams_of("alice") == frozenset({"crm-team"})
    assert directory.teams_of("carol") == frozenset()
    assert directory.members("crm-team") == frozenset({"alice", "bob"})
    assert directory.members("nope") == frozenset()
    assert directory.expand(["crm-team", "carol", "ghost"]) == {"alice", "bob", "carol"}
    assert directory.display_name("bob") == "Bob"
    assert directory.display_name("ghost") == "ghost"
    assert directory.exists("carol") and not directory.exists("crm-team")


def test_directory_from_config_class() -> None:
    config = Config.model_validate(
        {"users": {"dan": {"name": "Dan"}}, "console": {"person": "dan"}}
    )
    assert Directory(config).display_name("dan") == "Dan"

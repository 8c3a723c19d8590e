"""The configuration's schema: every section of `config.yaml` as a pydantic model, validated.

`Config` is the whole; each `*Config` model is one section, with the checks that need more than a
type (a database URL, a time zone, a key needed when a channel is enabled) raising problems that
name the key below the failing section. Secrets are `SecretStr` and stay hidden in `Config`'s
display (`redacted_dict()`); `Directory` answers who is who from the people and teams configured.
Reading a file into these models is `bot.config.loading`'s.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from datetime import time
from typing import Annotated, Any, Literal, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    SecretStr,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

__all__ = [
    "EVENT_TYPES",
    "ApiConfig",
    "ApiToken",
    "Config",
    "ConsoleConfig",
    "DemoConfig",
    "Directory",
    "EmailConfig",
    "EventType",
    "LimitsConfig",
    "NotificationsConfig",
    "PersonNotifications",
    "QuietHours",
    "RasaConfig",
    "SlackConfig",
    "StoreConfig",
    "TelegramConfig",
    "User",
    "hide_url_password",
    "is_loopback",
]


EventType = Literal[
    "task_started",
    "step_completed",
    "approval_requested",
    "task_completed",
    "task_failed",
    "task_stalled",
    "approval_reminder",
    "task_checkin",
]
EVENT_TYPES: tuple[EventType, ...] = get_args(EventType)


def _blank_to_none(value: Any) -> Any:
    # `${SLACK_BOT_TOKEN:-}` yields "", which means "not set", not "set to nothing".
    return None if isinstance(value, str) and not value.strip() else value


def _problem(msg: str, at: str = "") -> PydanticCustomError:
    """A validation error whose text we write ourselves; `at` is a key below the failing model."""
    return PydanticCustomError("config", "{msg}", {"msg": msg, "at": at})


_CLOCK = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")


def _parse_clock(value: Any) -> Any:
    if isinstance(value, time):
        return value
    match = _CLOCK.fullmatch(value) if isinstance(value, str) else None
    if not match:
        raise _problem(f'expected a time of day as "HH:MM", got {value!r}')
    return time(int(match[1]), int(match[2]))


Secret = Annotated[SecretStr | None, BeforeValidator(_blank_to_none)]
Text = Annotated[str | None, BeforeValidator(_blank_to_none)]
ClockTime = Annotated[time, BeforeValidator(_parse_clock)]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True)


# The asyncio drivers Progress Bot installs, by the database a URL names.
ASYNC_DRIVERS = {"sqlite": "aiosqlite", "postgresql": "asyncpg"}


class StoreConfig(_Section):
    """Where tasks live. A relative SQLite path is relative to the working directory."""

    url: str = "sqlite+aiosqlite:///var/progressbot.db"

    @field_validator("url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        """A URL that names only the database (`postgresql://`, `postgres://`, `sqlite:///`)
        gets the asyncio driver Progress Bot installs; another driver is refused by name,
        rather than failing later inside the driver with an error about its options."""
        examples = "sqlite+aiosqlite:///var/progressbot.db or postgresql+asyncpg://user@host/db"
        try:
            url = make_url(value)
        except ArgumentError:
            raise _problem(f"not a database URL; use {examples}") from None
        backend, _, driver = url.drivername.partition("+")
        backend = "postgresql" if backend == "postgres" else backend
        if backend not in ASYNC_DRIVERS:
            raise _problem(f"{backend!r} is not a supported database; use {examples}")
        if not driver:
            return url.set(drivername=f"{backend}+{ASYNC_DRIVERS[backend]}").render_as_string(
                hide_password=False
            )
        if driver != ASYNC_DRIVERS[backend]:
            raise _problem(
                f"the {driver!r} driver is not supported for {backend}; "
                f"use {backend}+{ASYNC_DRIVERS[backend]}://..."
            )
        return value


TokenRole = Literal["engine", "reader", "chat", "admin"]
EXAMPLE_SECRETS = frozenset({"dev-token", "change-me"})


class ApiToken(_Section):
    """One bearer token and what it may do (docs/security.md).

    `engine` creates tasks and reads, reports on and steers only its own; `reader` reads every
    task and changes nothing; `chat` speaks on `/api/chat*` for the listed `persons` only;
    `admin` may do everything, and is the only role that may relay an approval decision."""

    name: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    token: SecretStr
    role: TokenRole = "engine"
    persons: list[str] = []

    def get_secret_value(self) -> str:
        return self.token.get_secret_value()


def _name_tokens(value: Any) -> Any:
    # A plain string is an engine token, named by its place in the list: token-1, token-2...
    if not isinstance(value, list):
        return value
    named: list[Any] = []
    for index, item in enumerate(value, start=1):
        if isinstance(item, str | SecretStr):
            item = {"name": f"token-{index}", "token": item}
        elif isinstance(item, dict) and "name" not in item:
            item = {"name": f"token-{index}", **item}
        named.append(item)
    return named


class ApiConfig(_Section):
    """The HTTP API, WebSocket and web page."""

    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=0, le=65535)
    tokens: Annotated[list[ApiToken], BeforeValidator(_name_tokens)] = []
    public_url: Text = None
    # Empty means: generate one and keep it in the store, so every process and worker that
    # shares the store (serve, `progressbot open`, a second worker) signs links alike.
    link_secret: SecretStr = SecretStr("")
    link_ttl_seconds: int = Field(default=86400, gt=0)
    # A link posted where several people read it shows one task, read-only, for this long.
    view_link_ttl_seconds: int = Field(default=3 * 86400, gt=0)
    max_body_bytes: int = Field(default=1024 * 1024, gt=0)

    # True when public_url was not set and is derived from host and port: it then follows the
    # port the server really listens on (`--port`, port 0).
    _derived_public_url: bool = PrivateAttr(default=False)

    @model_validator(mode="after")
    def _derive_public_url(self) -> ApiConfig:
        names = [t.name for t in self.tokens]
        for name in names:
            if names.count(name) > 1:
                raise _problem(f"the token name {name!r} is used twice", "tokens")
        if self.public_url:
            self.public_url = self.public_url.rstrip("/")
        else:
            self._derived_public_url = True
            self.public_url = _local_url(self.host, self.port)
        return self

    def listening_on(self, host: str, port: int) -> None:
        """The server listens here: links follow it unless `public_url` was set explicitly."""
        self.host, self.port = host, port
        if self._derived_public_url:
            self.public_url = _local_url(host, port)


def _local_url(host: str, port: int) -> str:
    host = "localhost" if host in ("", "0.0.0.0", "::") else host
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


class LimitsConfig(_Section):
    """How big and how slow input may be; larger or slower is refused with the limit's name."""

    max_steps: int = Field(default=1000, ge=1)
    max_substeps_per_step: int = Field(default=500, ge=0)
    max_substeps_total: int = Field(default=5000, ge=0)
    max_name_length: int = Field(default=500, ge=1)
    max_json_depth: int = Field(default=32, ge=1, le=200)
    max_approval_expiry_seconds: int = Field(default=30 * 86400, ge=1)
    # Slow clients: the time allowed for a request's headers, and for its body.
    header_timeout_seconds: float = Field(default=10.0, gt=0)
    body_timeout_seconds: float = Field(default=30.0, gt=0)
    # Open WebSockets allowed at once, per signed-in person, per API token and per address.
    websockets_per_person: int = Field(default=20, ge=1)
    websockets_per_token: int = Field(default=500, ge=1)
    websockets_per_address: int = Field(default=100, ge=1)


class SlackConfig(_Section):
    enabled: bool = False
    mode: Literal["socket", "http"] = "socket"
    bot_token: Secret = None
    app_token: Secret = None
    signing_secret: Secret = None
    api_url: str = "https://slack.com/api/"
    team_id: Text = None

    @model_validator(mode="after")
    def _required_when_enabled(self) -> SlackConfig:
        if not self.enabled:
            return self
        if self.bot_token is None:
            raise _problem("required when slack.enabled is true", "bot_token")
        if self.mode == "socket" and self.app_token is None:
            raise _problem("required when slack.mode is 'socket'", "app_token")
        if self.mode == "http" and self.signing_secret is None:
            raise _problem("required when slack.mode is 'http'", "signing_secret")
        return self


class TelegramConfig(_Section):
    enabled: bool = False
    mode: Literal["polling", "webhook"] = "polling"
    token: Secret = None
    api_url: str = "https://api.telegram.org/bot"
    webhook_url: Text = None
    webhook_secret: Secret = None

    @model_validator(mode="after")
    def _required_when_enabled(self) -> TelegramConfig:
        if not self.enabled:
            return self
        if self.token is None:
            raise _problem("required when telegram.enabled is true", "token")
        if self.mode == "webhook":
            for key in ("webhook_url", "webhook_secret"):
                if getattr(self, key) is None:
                    raise _problem("required when telegram.mode is 'webhook'", key)
        return self


class ConsoleConfig(_Section):
    enabled: bool = True
    person: str = "alice"


class User(_Section):
    """One person and their identities on each platform."""

    name: Text = None
    slack: Text = None
    slack_email: Text = None
    telegram: Text = None
    email: Text = None
    timezone: Text = None
    notifications: PersonNotifications | None = None

    @field_validator("telegram")
    @classmethod
    def _numeric(cls, value: str | None) -> str | None:
        if value is not None and not value.lstrip("-").isdigit():
            raise _problem(f"expected a numeric Telegram user id, got {value!r}")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError):
                raise _problem(f"unknown time zone {value!r}") from None
        return value


class QuietHours(_Section):
    """No pushed notifications between `start` and `end` (may span midnight)."""

    start: ClockTime
    end: ClockTime


class NotificationsConfig(_Section):
    events: list[EventType] = list(EVENT_TYPES)
    card_interval_seconds: float = Field(default=3.0, ge=0)
    max_attempts: int = Field(default=8, ge=1)
    quiet_hours: QuietHours | None = None
    email_for_tasks_longer_than_minutes: float = Field(default=10.0, ge=0)
    # A step is "taking longer than expected" past stall_factor × its usual duration (from
    # earlier runs), or past stall_after_minutes when there is no history yet.
    stall_factor: float = Field(default=2.0, gt=1)
    stall_after_minutes: float = Field(default=30.0, gt=0)
    approval_reminder_minutes: float = Field(default=30.0, gt=0)
    approval_reminders: int = Field(default=3, ge=0)
    checkin_minutes: float = Field(default=10.0, gt=0)
    retention_days: float = Field(default=30.0, gt=0)


class PersonNotifications(_Section):
    """A person's own defaults; what they set in chat overrides these."""

    events: list[EventType] | None = None
    channels: list[str] | None = None  # platforms, e.g. [telegram, email]
    quiet_hours: QuietHours | None = None


class EmailConfig(_Section):
    enabled: bool = False
    host: Text = None
    port: int = Field(default=587, ge=1, le=65535)
    username: Text = None
    password: Secret = None
    starttls: bool = True
    use_tls: bool = False
    from_address: Text = None

    @model_validator(mode="after")
    def _usable(self) -> EmailConfig:
        if self.enabled:
            for key in ("host", "from_address"):
                if getattr(self, key) is None:
                    raise _problem("required when email.enabled is true", key)
        if self.starttls and self.use_tls:
            raise _problem("cannot be true together with email.starttls", "use_tls")
        return self


class RasaConfig(_Section):
    """The Rasa action server (`progressbot rasa-actions`). Rasa sends `token` as `?token=` on
    the action endpoint URL; without a token the server only binds to loopback."""

    token: Secret = None


class DemoConfig(_Section):
    speed: float = Field(default=1.0, gt=0)


_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_IDENTITIES = {"slack": "Slack user id", "telegram": "Telegram user id", "email": "email"}


class Config(_Section):
    """The whole configuration. Build with `load_config()` or `parse_config()`."""

    store: StoreConfig = Field(default_factory=StoreConfig)
    api: ApiConfig = Field(default_factory=ApiConfig)
    limits: LimitsConfig = Field(default_factory=LimitsConfig)
    slack: SlackConfig = Field(default_factory=SlackConfig)
    telegram: TelegramConfig = Field(default_factory=TelegramConfig)
    console: ConsoleConfig = Field(default_factory=ConsoleConfig)
    users: dict[str, User] = {}
    teams: dict[str, list[str]] = {}
    notifications: NotificationsConfig = Field(default_factory=NotificationsConfig)
    email: EmailConfig = Field(default_factory=EmailConfig)
    rasa: RasaConfig = Field(default_factory=RasaConfig)
    demo: DemoConfig = Field(default_factory=DemoConfig)

    _source: str = PrivateAttr(default="<defaults>")

    @model_validator(mode="after")
    def _consistent(self) -> Config:
        if not self.users and self.console.enabled:
            # With no people configured the console still needs someone to speak as.
            self.users = {self.console.person: User(name=self.console.person.title())}
        for section, names in (("users", self.users), ("teams", self.teams)):
            for name in names:
                if not _KEY.fullmatch(name):
                    raise _problem(
                        "expected a name of letters, digits, '.', '_' or '-'", f"{section}.{name}"
                    )
        for team, members in self.teams.items():
            if team in self.users:
                raise _problem("a team cannot have the same name as a person", f"teams.{team}")
            for member in members:
                if member not in self.users:
                    raise _problem(f"unknown person {member!r}", f"teams.{team}")
        for index, api_token in enumerate(self.api.tokens):
            for person in api_token.persons:
                if person not in self.users:
                    raise _problem(f"unknown person {person!r}", f"api.tokens.{index}.persons")
        if self.console.enabled and self.console.person not in self.users:
            raise _problem(f"unknown person {self.console.person!r}", "console.person")
        for attr, label in _IDENTITIES.items():
            seen: dict[str, str] = {}
            for person, user in self.users.items():
                value = getattr(user, attr)
                if value is None:
                    continue
                value = value.lower()
                if value in seen:
                    raise _problem(
                        f"{label} already used by {seen[value]!r}", f"users.{person}.{attr}"
                    )
                seen[value] = person
        return self

    @property
    def source(self) -> str:
        """The file this configuration came from, or `<defaults>`."""
        return self._source

    def directory(self) -> Directory:
        """Who is who: people, teams and their platform identities."""
        return Directory(self)

    def redacted_dict(self) -> dict[str, Any]:
        """The configuration as plain data for display, every secret shown as '***'."""
        return _redact(self.model_dump())

    def secret_values(self) -> list[str]:
        """Every secret's value (and a password in the store URL): what logs must never show."""
        found: list[str] = []
        _collect_secrets(self.model_dump(), found)
        match = _URL_PASSWORD.search(self.store.url)
        if match:
            found.append(self.store.url[match.end("head") : match.end() - 1])
        return found

    def exposed_example_secret(self) -> str | None:
        """The key of an example credential (dev-token, change-me) in use while the server is
        reachable from outside (a non-loopback api.host, or an https public_url); else None."""
        public = not is_loopback(self.api.host) or (self.api.public_url or "").startswith(
            "https://"
        )
        if not public:
            return None
        for index, api_token in enumerate(self.api.tokens):
            if api_token.get_secret_value() in EXAMPLE_SECRETS:
                return f"api.tokens.{index}"
        if self.api.link_secret.get_secret_value() in EXAMPLE_SECRETS:
            return "api.link_secret"
        if self.rasa.token is not None and self.rasa.token.get_secret_value() in EXAMPLE_SECRETS:
            return "rasa.token"
        return None


def _collect_secrets(value: Any, found: list[str]) -> None:
    if isinstance(value, SecretStr):
        found.append(value.get_secret_value())
    elif isinstance(value, dict):
        for item in value.values():
            _collect_secrets(item, found)
    elif isinstance(value, list):
        for item in value:
            _collect_secrets(item, found)


def _redact(value: Any) -> Any:
    if isinstance(value, SecretStr):
        return "***"
    if isinstance(value, dict):
        return {key: _redact(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_redact(item) for item in value]
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, str):
        return hide_url_password(value)
    return value


_URL_PASSWORD = re.compile(r"(?P<head>[A-Za-z][A-Za-z0-9+.-]*://[^/:@\s]*:)[^@/\s]+@")


def hide_url_password(text: str) -> str:
    """`postgresql://user:secret@host/db` → `postgresql://user:***@host/db`."""
    return _URL_PASSWORD.sub(lambda m: f"{m['head']}***@", text)


class Directory:
    """Answers who a platform user is and who belongs to which team. Pure lookups, no I/O."""

    def __init__(self, config: Config) -> None:
        self._users = dict(config.users)
        self._teams = {team: frozenset(members) for team, members in config.teams.items()}
        self._by_platform: dict[str, dict[str, str]] = {"slack": {}, "telegram": {}, "email": {}}
        for person, user in self._users.items():
            for platform, value in (
                ("slack", user.slack),
                ("telegram", user.telegram),
                ("email", user.email),
                ("email", user.slack_email),
            ):
                if value is not None:
                    # setdefault: a person's own email wins over someone else's Slack email.
                    self._by_platform[platform].setdefault(value.lower(), person)

    @property
    def people(self) -> frozenset[str]:
        return frozenset(self._users)

    @property
    def teams(self) -> frozenset[str]:
        return frozenset(self._teams)

    def exists(self, person: str) -> bool:
        return person in self._users

    def is_team(self, name: str) -> bool:
        return name in self._teams

    def person_for(self, platform: str, platform_user: str) -> str | None:
        """The person behind a platform user id; on console, web and api the id is the person."""
        if platform in ("console", "web", "api"):
            return platform_user if platform_user in self._users else None
        return self._by_platform.get(platform, {}).get(str(platform_user).strip().lower())

    def person_by_email(self, email: str) -> str | None:
        return self.person_for("email", email)

    def teams_of(self, person: str) -> frozenset[str]:
        return frozenset(team for team, members in self._teams.items() if person in members)

    def members(self, team: str) -> frozenset[str]:
        return self._teams.get(team, frozenset())

    def expand(self, names: Iterable[str]) -> set[str]:
        """People and teams → the people they stand for. Unknown names are left out."""
        people: set[str] = set()
        for name in names:
            if name in self._users:
                people.add(name)
            else:
                people |= self.members(name)
        return people

    def display_name(self, person: str) -> str:
        user = self._users.get(person)
        return user.name if user is not None and user.name else person


def is_loopback(host: str) -> bool:
    """Whether `host` is reachable from this machine only."""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"

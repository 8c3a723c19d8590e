"""Progress Bot's configuration: one schema, read from `config.yaml` and validated at load.

`sections.py` holds the schema (a pydantic model per section of the file, the whole `Config`, and
the `Directory` of people and teams it describes); `loading.py` reads the file, replaces `${VAR}`
and `${VAR:-default}` from the environment, and turns every problem into a `ConfigError` naming
the file, the dotted key and what was expected. Secrets are `SecretStr`: they never show in an
error message, a repr or `Config.redacted_dict()`. Import from `bot.config`, not its modules.
"""

from bot.config.loading import DEFAULT_PATH, ENV_PATH, ConfigError, load_config, parse_config
from bot.config.sections import (
    EVENT_TYPES,
    ApiConfig,
    ApiToken,
    Config,
    ConsoleConfig,
    DemoConfig,
    Directory,
    EmailConfig,
    EventType,
    LimitsConfig,
    NotificationsConfig,
    PersonNotifications,
    QuietHours,
    RasaConfig,
    SlackConfig,
    StoreConfig,
    TelegramConfig,
    User,
    hide_url_password,
    is_loopback,
)

__all__ = [
    "DEFAULT_PATH",
    "ENV_PATH",
    "EVENT_TYPES",
    "ApiConfig",
    "ApiToken",
    "Config",
    "ConfigError",
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
    "load_config",
    "parse_config",
]

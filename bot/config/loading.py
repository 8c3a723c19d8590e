"""Reading the configuration: YAML, `${VAR}` interpolation, and errors that name the key.

`load_config()` reads `config.yaml` (or `--config PATH`, or `$PROGRESSBOT_CONFIG`), replaces
`${VAR}` and `${VAR:-default}` in string values from the environment, and validates the result
against the schema of `bot.config.sections`. Every problem is a `ConfigError` naming the file, the
dotted key and what was expected, and never quoting a secret's value.
"""

from __future__ import annotations

import logging
import os
import re
import types
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, SecretStr, ValidationError

from bot.config.sections import Config, is_loopback

__all__ = ["DEFAULT_PATH", "ENV_PATH", "ConfigError", "load_config", "parse_config"]

# Logged under the package's name, the one operators know (`bot.config: configuration loaded`).
logger = logging.getLogger(__package__)

DEFAULT_PATH = "config.yaml"
ENV_PATH = "PROGRESSBOT_CONFIG"


class ConfigError(ValueError):
    """The configuration cannot be used. One line per problem: `source: key: what is wrong`."""

    def __init__(self, source: str, problems: Iterable[tuple[str, str]]) -> None:
        self.source = source
        self.problems: tuple[tuple[str, str], ...] = tuple(problems)
        super().__init__(
            "\n".join(
                f"{source}: {key}: {msg}" if key else f"{source}: {msg}"
                for key, msg in self.problems
            )
        )


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps `22:00` a string (YAML 1.1 reads it as the base-60 number 1320)
    and rejects a key given twice instead of silently keeping the last one."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, str | int | float | bool):
                continue
            if key in seen:
                raise yaml.MarkedYAMLError(
                    problem=f"key {key!r} appears twice", problem_mark=key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_Loader.yaml_implicit_resolvers = {
    first: list(resolvers) for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
for _digit in "0123456789":
    _Loader.yaml_implicit_resolvers.setdefault(_digit, []).insert(
        0, ("tag:yaml.org,2002:str", re.compile(r"^\d{1,2}:\d{2}$"))
    )


_REFERENCE = re.compile(r"\$\$\{|\$\{(?P<body>[^}]*)\}|\$\{")
_VAR_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _interpolate(value: str, environ: Mapping[str, str], key: str, source: str) -> str:
    def replace(match: re.Match[str]) -> str:
        if match[0] == "$${":
            return "${"
        body = match["body"]
        if body is None:
            raise ConfigError(
                source, [(key, "'${' without a closing '}' (write '$${' for a literal '${')")]
            )
        name, has_default, default = body.partition(":-")
        if not _VAR_NAME.fullmatch(name):
            raise ConfigError(source, [(key, f"bad variable reference '${{{body}}}'")])
        if environ.get(name):
            return environ[name]
        if has_default:
            return default
        if name in environ:
            return ""
        raise ConfigError(
            source,
            [
                (
                    key,
                    f"environment variable {name} is not set"
                    f" (write ${{{name}:-default}} for a default)",
                )
            ],
        )

    return _REFERENCE.sub(replace, value)


def _interpolate_tree(
    node: Any, environ: Mapping[str, str], path: tuple[Any, ...], source: str
) -> Any:
    if isinstance(node, str):
        return _interpolate(node, environ, _dotted(path), source)
    if isinstance(node, dict):
        return {k: _interpolate_tree(v, environ, (*path, k), source) for k, v in node.items()}
    if isinstance(node, list):
        return [_interpolate_tree(v, environ, (*path, i), source) for i, v in enumerate(node)]
    return node


def _dotted(loc: Iterable[Any]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text


def _strip(tp: Any) -> Any:
    """`Annotated[X, ...]` and `X | None` → X."""
    while True:
        if get_origin(tp) is Annotated:
            tp = get_args(tp)[0]
        elif get_origin(tp) in (Union, types.UnionType):
            options = [arg for arg in get_args(tp) if arg is not type(None)]
            if len(options) != 1:
                return tp
            tp = options[0]
        else:
            return tp


def _type_at(loc: Iterable[Any]) -> Any:
    """The schema type at a location in the config, or None when the location is not in it."""
    tp: Any = Config
    for part in loc:
        tp = _strip(tp)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            field = tp.model_fields.get(part) if isinstance(part, str) else None
            if field is None:
                return None
            tp = field.annotation
        elif get_origin(tp) in (dict, list):
            tp = get_args(tp)[-1]
        else:
            return None
    return _strip(tp)


def _mentions_secret(tp: Any) -> bool:
    return tp is SecretStr or any(_mentions_secret(arg) for arg in get_args(tp))


_EXPECTED = {
    "int_type": "an integer",
    "int_parsing": "an integer",
    "int_from_float": "an integer",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "string_type": "a string",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
    "list_type": "a list",
}
_BOUNDS = {"ge": ">=", "gt": ">", "le": "<=", "lt": "<"}


def _describe(error: Any) -> tuple[str, str]:
    """A pydantic error → (dotted key, message). Secret values are never quoted."""
    loc, kind, ctx = tuple(error["loc"]), error["type"], error.get("ctx") or {}
    if kind == "config":
        at = (*loc, *ctx["at"].split(".")) if ctx["at"] else loc
        return _dotted(at), ctx["msg"]
    if kind == "extra_forbidden":
        parent = _type_at(loc[:-1])
        known = (
            ", ".join(parent.model_fields)
            if isinstance(parent, type) and issubclass(parent, BaseModel)
            else ""
        )
        return _dotted(loc), f"unknown key (expected one of: {known})" if known else "unknown key"
    if kind == "missing":
        return _dotted(loc), "required"
    if kind == "literal_error":
        expected = ctx["expected"]
    elif kind in _EXPECTED:
        expected = _EXPECTED[kind]
    elif bound := next((b for b in _BOUNDS if b in ctx), None):
        expected = f"a number {_BOUNDS[bound]} {ctx[bound]}"
    else:
        return _dotted(loc), error["msg"]
    value = error.get("input")
    if _mentions_secret(_type_at(loc)) or not isinstance(value, str | int | float | bool | None):
        return _dotted(loc), f"expected {expected}"
    shown = repr(value) if len(repr(value)) <= 60 else repr(value)[:57] + "..."
    return _dotted(loc), f"expected {expected}, got {shown}"


def _validate(data: Any, source: str) -> Config:
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(source, [_describe(error) for error in exc.errors()]) from None
    config._source = source
    if config.api.link_secret.get_secret_value() == "change-me" and not is_loopback(
        config.api.host
    ):
        logger.warning(
            "%s: api.link_secret is the example value; set PROGRESSBOT_LINK_SECRET", source
        )
    return config


def parse_config(
    text: str, *, environ: Mapping[str, str] | None = None, source: str = "<string>"
) -> Config:
    """Parse, interpolate and validate configuration text."""
    try:
        data = yaml.load(text, Loader=_Loader)  # a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        # Only the problem text: the snippet PyYAML adds could quote a secret on that line.
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "YAML"
        problem = ": ".join(part for part in (exc.context, exc.problem) if part)
        raise ConfigError(source, [(where, problem or "invalid YAML")]) from None
    except yaml.YAMLError as exc:
        raise ConfigError(source, [("", f"invalid YAML: {type(exc).__name__}")]) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(source, [("", "expected a mapping of sections at the top level")])
    data = _interpolate_tree(data, os.environ if environ is None else environ, (), source)
    return _validate(data, source)


def load_config(
    path: str | os.PathLike[str] | None = None, *, environ: Mapping[str, str] | None = None
) -> Config:
    """Load the configuration: `path`, else `$PROGRESSBOT_CONFIG`, else `./config.yaml`.

    Only the last may be missing; then the built-in defaults apply (console chat, SQLite).
    """
    env = os.environ if environ is None else environ
    explicit = path if path is not None else env.get(ENV_PATH) or None
    file = Path(explicit if explicit is not None else DEFAULT_PATH)
    source = str(file)
    if explicit is None and not file.exists():
        logger.info("no %s here; using the built-in defaults", DEFAULT_PATH)
        return _validate({}, "<defaults>")
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(source, [("", "no such configuration file")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(source, [("", f"cannot read: {exc.__class__.__name__}: {exc}")]) from None
    config = parse_config(text, environ=env, source=source)
    logger.info("configuration loaded from %s", source)
    return config

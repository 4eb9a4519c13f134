"""Typed readers for settings taken from the environment."""

import ipaddress
import os
import re

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    """The variable's value; `default` when unset; fails loudly when unset without default."""
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"Environment variable {name} is required.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"Environment variable {name} must be a boolean, got {value!r}.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"Environment variable {name} must be an integer.") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_networks(name: str, default: list[str]) -> list[str]:
    """A list of IP addresses or networks (`127.0.0.1`, `10.0.0.0/24`); a typo stops the start
    rather than trusting no one, or everyone."""
    entries = env_list(name, default)
    for entry in entries:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"Environment variable {name}: {entry!r} is not an IP address or network."
            ) from exc
    return entries


# Words of the placeholders people copy from examples and generators (deploy/lindungi.env.example,
# `startproject`, tutorials). A random key of 50+ characters contains none of them in practice.
_PLACEHOLDER_WORDS = (
    "insecure",
    "change",
    "replace",
    "example",
    "placeholder",
    "secret",
    "lindungi",
    "dummy",
    "sample",
)


def secret_key_problem(value: str) -> str | None:
    """Why `value` is no production SECRET_KEY (a placeholder, too short, too little variety),
    or None. The reason never repeats the key."""
    if len(value) < 50:
        return "is shorter than 50 characters."
    lowered = value.lower()
    for word in _PLACEHOLDER_WORDS:
        if word in lowered:
            return f"looks like a placeholder (contains “{word}”)."
    if len(set(value)) < 10:
        return "has too little variety (fewer than 10 different characters)."
    if any(value == (value[:p] * (len(value) // p + 1))[: len(value)] for p in range(1, 26)):
        return "has too little variety (a short pattern repeated)."
    if re.search(r"(.)\1{7}", value):
        return "has too little variety (one character eight times in a row)."
    return None

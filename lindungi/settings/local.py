"""Embedded defaults for a laptop or a demo: SQLite under ./var, DEBUG on unless told otherwise."""

from .base import *  # noqa: F403
from .env import env_bool

DEBUG = env_bool("DEBUG", True)

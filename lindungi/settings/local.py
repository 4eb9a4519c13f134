"""Embedded defaults for a laptop or a demo: SQLite under ./var.

DEBUG is off unless the environment asks for it (`DEBUG=1 make run`): a `make run` server is often
reachable by others (a demo on the office network), and DEBUG shows any visitor Django's technical
pages — every URL, the settings, tracebacks. Static files are served either way (WhiteNoise).
"""

from .base import *  # noqa: F403
from .env import env_bool

DEBUG = env_bool("DEBUG", False)

"""Fault injection for the fault-tolerance suites (kill -9 in the middle of a long write).

A checkpoint does nothing unless the environment names it in LINDUNGI_FAULT_AT; then it
writes LINDUNGI_FAULT_MARKER (so the test knows the process is there) and waits to be killed.
"""

from __future__ import annotations

import os
import time
from pathlib import Path


def checkpoint(name: str) -> None:
    if os.environ.get("LINDUNGI_FAULT_AT") != name:
        return
    marker = os.environ.get("LINDUNGI_FAULT_MARKER")
    if marker:
        Path(marker).write_text(str(os.getpid()), encoding="utf-8")
    time.sleep(600)

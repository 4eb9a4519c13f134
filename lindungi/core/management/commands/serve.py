"""`python manage.py serve`: the web server, the task worker and the scheduler together (used by
`make run`)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Menjalankan server web dan pekerja tugas latar bersama-sama."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--addr", default="127.0.0.1:8000")

    def handle(self, *args: Any, **options: Any) -> None:
        python = sys.executable
        manage = sys.argv[0]
        worker = subprocess.Popen(  # noqa: S603
            [python, manage, "task_worker", "--queue-name", "*", "--no-reload", "--interval", "0.5"]
        )
        web = subprocess.Popen(  # noqa: S603
            [python, manage, "runserver", options["addr"], "--noreload"]
        )
        scheduler = subprocess.Popen([python, manage, "scheduler"])  # noqa: S603
        processes = [web, worker, scheduler]

        def stop(*_: Any) -> None:
            for process in processes:
                if process.poll() is None:
                    process.terminate()

        signal.signal(signal.SIGTERM, stop)
        try:
            while all(p.poll() is None for p in processes):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            stop()
            for process in processes:
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()

"""`python manage.py task_worker`: django-tasks' database worker, plus a heartbeat and the
recovery of tasks whose worker died (core/workers.py). Takes every option of `db_worker`."""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.db import close_old_connections, connection
from django_tasks_db.management.commands import db_worker

from lindungi.core.workers import (
    HEARTBEAT_SECONDS,
    RECOVER_EVERY_SECONDS,
    heartbeat,
    heartbeat_end,
    recover_interrupted_tasks,
    worker_id_for,
)

logger = logging.getLogger(__name__)


class Command(db_worker.Command):
    help = "Menjalankan pekerja tugas latar (dengan detak hidup dan pemulihan tugas yang terhenti)."

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.set_defaults(worker_id=None)

    def handle(self, *args: Any, **options: Any) -> None:
        worker_id = options.get("worker_id") or worker_id_for()
        options["worker_id"] = worker_id
        heartbeat(worker_id, started=True)
        recover_interrupted_tasks()
        close_old_connections()
        stop = threading.Event()
        beating = threading.Thread(
            target=self._beat, args=(worker_id, stop), name="heartbeat", daemon=True
        )
        beating.start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
            beating.join(timeout=HEARTBEAT_SECONDS + 5)
            try:
                heartbeat_end(worker_id)
            except Exception:  # the database may be what stopped us
                logger.warning("worker %s: heartbeat not removed", worker_id)

    @staticmethod
    def _beat(worker_id: str, stop: threading.Event) -> None:
        """Own thread, own connection: beats while a task holds the main thread's."""
        last_recovery = time.monotonic()
        try:
            while not stop.wait(HEARTBEAT_SECONDS):
                try:
                    heartbeat(worker_id)
                    if time.monotonic() - last_recovery >= RECOVER_EVERY_SECONDS:
                        last_recovery = time.monotonic()
                        recover_interrupted_tasks()
                except Exception:  # a locked SQLite file or a database restart: beat again later
                    logger.warning("worker %s: heartbeat failed", worker_id, exc_info=True)
                    connection.close()
        finally:
            connection.close()

"""The backup and restore procedure of README "Production" (issue 10), exercised: deploy/backup.sh
dumps the database and the private files, deploy/restore.sh brings them back into an empty
database and folder, and the rows and files are all there. PostgreSQL only (pg_dump)."""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess
import uuid
from pathlib import Path

import psycopg
from django.conf import settings
from django.db import connection

from lindungi.accounts.roles import Role
from lindungi.accounts.services import user_create
from lindungi.claims.services import claim_document_upload, claim_open
from lindungi.enrolment.models import Enrolment
from lindungi.programmes.services import programme_create
from lindungi.registry.services import worker_create, worker_verify_many

from .conftest import PASSWORD
from .enrolment.conftest import PROGRAMME, person
from .helpers import requires_postgres

ROOT = Path(__file__).resolve().parent.parent
TABLES = ["registry_worker", "enrolment_enrolment", "claims_claimcase", "claims_claimdocument",
          "core_auditevent"]  # fmt: skip

pytestmark = [requires_postgres("pg_dump and pg_restore")]


def _url(name: str) -> str:
    db = settings.DATABASES["default"]
    user = db.get("USER") or "postgres"
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or "5432"
    return f"postgresql://{user}@{host}:{port}/{name}"


def _counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def test_a_backup_restores_every_row_and_file(live_db, tmp_path):
    # Committed data (pg_dump reads from its own connection): a worker, cover, a claim, a file.
    admin = user_create(actor=None, username="admin.kukar", password=PASSWORD,
                        role=Role.REGENCY_ADMIN, region_code="64.02")  # fmt: skip
    worker = worker_create(actor=admin, data=person(1))
    worker_verify_many(actor=admin, worker_ids=[worker.pk])
    programme = programme_create(actor=admin, data=PROGRAMME)
    Enrolment.objects.create(
        worker=worker, programme=programme, region_code=worker.village_id, status="active",
        benefit_jkk=True, benefit_jkm=True, reported_income=1_000_000,
        start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 12, 31),
        covered_from=dt.date(2026, 1, 1),
    )  # fmt: skip
    case = claim_open(actor=admin, worker_id=worker.pk, kind="JKK_TEMPORARY_INCAPACITY",
                      event_date="2026-02-01")  # fmt: skip
    claim_document_upload(actor=admin, case_id=case.pk, kind="kpj",
                          file=io.BytesIO(b"%PDF-1.4 kartu"), file_name="kpj.pdf")  # fmt: skip
    source = _url(connection.settings_dict["NAME"])
    media = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    env = {**os.environ, "DATABASE_URL": source, "PRIVATE_MEDIA_ROOT": str(media)}
    done = subprocess.run([str(ROOT / "deploy/backup.sh"), str(tmp_path)], env=env,
                          capture_output=True, text=True, check=True)  # fmt: skip
    folder = Path(done.stdout.strip().splitlines()[-1])
    assert (folder / "database.dump").stat().st_size > 0 and (folder / "SHA256SUMS").exists()

    name = f"restore_{uuid.uuid4().hex[:8]}"
    admin = _url("postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    restored_media = tmp_path / "restored-private"
    try:
        env = {**os.environ, "DATABASE_URL": _url(name), "PRIVATE_MEDIA_ROOT": str(restored_media)}
        subprocess.run([str(ROOT / "deploy/restore.sh"), str(folder)], env=env,
                       capture_output=True, text=True, check=True)  # fmt: skip
        before, after = _counts(source), _counts(_url(name))
        assert after == before and before["claims_claimdocument"] == 1
        document = case.documents.get()
        assert (restored_media / document.file.name).read_bytes() == b"%PDF-1.4 kartu"
        # A damaged backup is refused before anything is restored.
        (folder / "database.dump").write_bytes(b"damaged")
        broken = subprocess.run([str(ROOT / "deploy/restore.sh"), str(folder)], env=env,
                                capture_output=True, text=True, check=False)  # fmt: skip
        assert broken.returncode != 0
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        shutil.rmtree(restored_media, ignore_errors=True)

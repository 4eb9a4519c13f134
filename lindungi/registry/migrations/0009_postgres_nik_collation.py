"""PostgreSQL: the NIK column in the "C" collation, so its unique index also serves NIK prefix
searches (`LIKE '6402%'`) and the separate pattern-ops index can go — every index is paid for
by each imported row. Also drops the trigram index of an earlier development version."""

from django.db import migrations


def up(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'registry_worker'"
            " AND indexdef LIKE '%(nik varchar_pattern_ops)%'"
        )
        pattern_indexes = [row[0] for row in cursor.fetchall()]
    for name in pattern_indexes:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')
    schema_editor.execute("DROP INDEX IF EXISTS registry_worker_name_trgm")
    schema_editor.execute('ALTER TABLE registry_worker ALTER COLUMN nik TYPE varchar(16) COLLATE "C"')


def down(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute('ALTER TABLE registry_worker ALTER COLUMN nik TYPE varchar(16) COLLATE "default"')
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS registry_worker_nik_like ON registry_worker (nik varchar_pattern_ops)"
    )


class Migration(migrations.Migration):
    dependencies = [("registry", "0008_import_fingerprint")]

    operations = [migrations.RunPython(up, down, elidable=False)]

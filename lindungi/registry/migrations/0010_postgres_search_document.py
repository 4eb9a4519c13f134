"""PostgreSQL: name search resolves the region scope inside its index.

The GIN index over the phonetic name tokens becomes one over a *search document*: those tokens
plus the digits of every region the worker lives in (`64 6402 640206 6402061002`). A regency
admin's search for a common name intersects the name's entries with the regency's in the index
instead of fetching every province-wide match from the table (issue 3: name search p95).

Built CONCURRENTLY (the migration is not atomic), so a live registry keeps taking reads and
writes while the index builds; the old index is dropped afterwards, also without blocking.
"""

from django.db import migrations

DOCUMENT = (
    "to_tsvector('simple'::regconfig, (name_phonetic::text || ' '"
    " || left(replace(village_id::text, '.', ''), 2) || ' '"
    " || left(replace(village_id::text, '.', ''), 4) || ' '"
    " || left(replace(village_id::text, '.', ''), 6) || ' '"
    " || replace(village_id::text, '.', '')))"
)
OLD = "to_tsvector('simple'::regconfig, name_phonetic)"


def up(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX CONCURRENTLY IF NOT EXISTS registry_worker_search ON registry_worker"
        f" USING gin ({DOCUMENT})"
    )
    schema_editor.execute("DROP INDEX CONCURRENTLY IF EXISTS registry_worker_phonetic_fts")


def down(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX CONCURRENTLY IF NOT EXISTS registry_worker_phonetic_fts ON registry_worker"
        f" USING gin ({OLD})"
    )
    schema_editor.execute("DROP INDEX CONCURRENTLY IF EXISTS registry_worker_search")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("registry", "0009_postgres_nik_collation")]

    operations = [migrations.RunPython(up, down, elidable=False)]

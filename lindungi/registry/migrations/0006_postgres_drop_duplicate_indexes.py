"""PostgreSQL: drop indexes that duplicate others (each costs every imported row).

`registry_worker_nik_like` duplicates the pattern index Django creates for the unique NIK;
`registry_worker_verif_village` served pending counts that the scope index serves well enough.
"""

from django.db import migrations

UP = [
    "DROP INDEX IF EXISTS registry_worker_nik_like",
    "DROP INDEX IF EXISTS registry_worker_verif_village",
]
DOWN = [
    "CREATE INDEX IF NOT EXISTS registry_worker_nik_like ON registry_worker (nik varchar_pattern_ops)",
    "CREATE INDEX IF NOT EXISTS registry_worker_verif_village ON registry_worker "
    "(verification_status, village_id varchar_pattern_ops)",
]


def up(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in UP:
            schema_editor.execute(statement)


def down(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DOWN:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("registry", "0005_lean_indexes")]

    operations = [migrations.RunPython(up, down, elidable=False)]

"""PostgreSQL-only indexes for the registry at scale (issue 3: 1,000,000 workers).

- region scope filters `village_id = '64.02' OR village_id LIKE '64.02.%'`: a pattern-ops
  index serves the prefix match under any database collation;
- NIK prefix search (`6402…`) needs the same kind of index;
- name search matches phonetic tokens (a GIN full-text index over `name_phonetic`);
- the verification queue counts pending records per region.
SQLite serves the same queries with plain scans, which suits the embedded scale.
"""

from django.db import migrations

UP = [
    "CREATE INDEX IF NOT EXISTS registry_worker_village_like ON registry_worker "
    "(village_id varchar_pattern_ops, id)",
    "CREATE INDEX IF NOT EXISTS registry_worker_nik_like ON registry_worker "
    "(nik varchar_pattern_ops)",
    "CREATE INDEX IF NOT EXISTS registry_worker_phonetic_fts ON registry_worker "
    "USING gin (to_tsvector('simple'::regconfig, name_phonetic))",
    "CREATE INDEX IF NOT EXISTS registry_worker_verif_village ON registry_worker "
    "(verification_status, village_id varchar_pattern_ops)",
]
DOWN = [
    "DROP INDEX IF EXISTS registry_worker_verif_village",
    "DROP INDEX IF EXISTS registry_worker_nik_like",
    "DROP INDEX IF EXISTS registry_worker_phonetic_fts",
    "DROP INDEX IF EXISTS registry_worker_village_like",
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
    dependencies = [("registry", "0002_seed_occupations")]

    operations = [migrations.RunPython(up, down, elidable=False)]

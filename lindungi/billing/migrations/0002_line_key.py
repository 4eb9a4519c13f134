"""Contribution lines keyed by (enrolment, month): the key is the once-a-month constraint, with
no surrogate id, no per-row foreign-key checks and a block-range index on the run; on
PostgreSQL, one partition per month (`lindungi.billing.partitions`).

A table's primary key cannot be altered in place, so the lines move to a new table with the
new key (copied in one statement) which then takes the old table's name."""

import django.db.models.deletion
from django.db import migrations, models

import lindungi.core.fields
from lindungi.billing.partitions import partition_existing_table


def rename_key(apps, schema_editor):  # noqa: ANN001, ANN201
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE billing_contributionline RENAME CONSTRAINT"
            " billing_contributionlinekeyed_pkey TO billing_contributionline_pkey"
        )


def partition_by_month(apps, schema_editor):  # noqa: ANN001, ANN201
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            partition_existing_table(cursor)


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0001_money"),
        ("enrolment", "0004_account_references"),
        ("registry", "0009_postgres_nik_collation"),
    ]

    operations = [
        migrations.CreateModel(
            name="ContributionLineKeyed",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "enrolment",
                        "period",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                (
                    "run",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="billing.contributionrun",
                    ),
                ),
                (
                    "enrolment",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="enrolment.enrolment",
                    ),
                ),
                (
                    "worker",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="registry.worker",
                    ),
                ),
                ("period", models.DateField()),
                ("jkk", models.PositiveIntegerField(default=0)),
                ("jkm", models.PositiveIntegerField(default=0)),
                ("jht", models.PositiveIntegerField(default=0)),
                ("amount", models.PositiveIntegerField()),
            ],
            options={"ordering": ["period", "enrolment"]},
        ),
        migrations.RunSQL(
            "INSERT INTO billing_contributionlinekeyed"
            " (run_id, enrolment_id, worker_id, period, jkk, jkm, jht, amount)"
            " SELECT run_id, enrolment_id, worker_id, period, jkk, jkm, jht, amount"
            " FROM billing_contributionline ORDER BY run_id, enrolment_id",
            migrations.RunSQL.noop,
        ),
        migrations.DeleteModel(name="ContributionLine"),
        migrations.RenameModel(old_name="ContributionLineKeyed", new_name="ContributionLine"),
        migrations.RunPython(rename_key, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="contributionline",
            index=lindungi.core.fields.BlockRangeIndex(fields=["run"], name="billing_line_run_idx"),
        ),
        migrations.RunPython(partition_by_month, migrations.RunPython.noop),
    ]

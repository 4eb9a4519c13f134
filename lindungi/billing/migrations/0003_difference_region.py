"""Each reconciliation difference carries the region of the worker it is about, so that a
regency sees only its own people in its province's statement (issue 22). Existing rows get the
region of the worker's enrolment in the statement's programme, or the programme's own region."""

from django.db import migrations, models


def fill(apps, schema_editor):
    Statement = apps.get_model("billing", "Statement")
    Difference = apps.get_model("billing", "StatementDifference")
    Enrolment = apps.get_model("enrolment", "Enrolment")
    for statement in Statement.objects.all().iterator():
        regions = dict(
            Enrolment.objects.filter(programme_id=statement.programme_id)
            .order_by("id")
            .values_list("worker_id", "region_code")
        )
        rows = list(Difference.objects.filter(statement_id=statement.pk, region_code=""))
        for row in rows:
            row.region_code = regions.get(row.worker_id, statement.programme.region_id)
        Difference.objects.bulk_update(rows, ["region_code"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0002_line_key"),
        ("enrolment", "0004_account_references"),
    ]

    operations = [
        migrations.AddField(
            model_name="statementdifference",
            name="region_code",
            field=models.CharField(blank=True, max_length=13),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]

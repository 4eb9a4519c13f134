"""Seed the contribution rates, the PP 50/2025 discount and the benefit table in force."""

from django.db import migrations

from lindungi.programmes.reference import seed


def forward(apps, schema_editor):
    seed(
        apps.get_model("programmes", "ContributionRate"),
        apps.get_model("programmes", "ContributionDiscount"),
        apps.get_model("programmes", "BenefitRule"),
    )


class Migration(migrations.Migration):
    dependencies = [("programmes", "0001_initial")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]

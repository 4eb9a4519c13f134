"""Seed the benefit table PP 82/2019 replaced, so events before 2 December 2019 are computed
with the amounts then in force (issue 8)."""

from django.db import migrations

from lindungi.programmes.reference import seed


def forward(apps, schema_editor):  # noqa: ANN001, ANN201
    seed(
        apps.get_model("programmes", "ContributionRate"),
        apps.get_model("programmes", "ContributionDiscount"),
        apps.get_model("programmes", "BenefitRule"),
    )


class Migration(migrations.Migration):
    dependencies = [("programmes", "0003_account_references")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]

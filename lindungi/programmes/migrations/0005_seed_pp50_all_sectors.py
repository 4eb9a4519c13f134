"""Seed the second phase of the PP 50/2025 discount: every BPU sector, April – December 2026
(domain.md §5); the transport phase of 0002 stays as it is."""

from django.db import migrations

from lindungi.programmes.reference import seed


def forward(apps, schema_editor):  # noqa: ANN001, ANN201
    seed(
        apps.get_model("programmes", "ContributionRate"),
        apps.get_model("programmes", "ContributionDiscount"),
        apps.get_model("programmes", "BenefitRule"),
    )


class Migration(migrations.Migration):
    dependencies = [("programmes", "0004_seed_pp44_benefits")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]

"""Seed the default BPJS file layouts (collective BPU registration, and its answer)."""

from django.db import migrations

from lindungi.enrolment.layouts import seed


def forward(apps, schema_editor):
    seed(apps.get_model("enrolment", "ExchangeLayout"))


class Migration(migrations.Migration):
    dependencies = [("enrolment", "0002_initial")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]

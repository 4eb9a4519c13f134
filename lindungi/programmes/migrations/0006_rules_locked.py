"""A programme records when its rules were fixed (its first batch went to BPJS) instead of the
programmes app asking the enrolments (issue 23: the programmes app no longer reads the enrolment
app above it). Existing programmes with an enrolment ever sent are locked from that moment."""

from django.db import migrations, models
from django.db.models import Min

SENT = ["submitted", "active", "lapsed", "ended", "rejected"]  # the statuses of 0004 below


def lock_sent(apps, schema_editor):
    Programme = apps.get_model("programmes", "Programme")
    Batch = apps.get_model("enrolment", "EnrolmentBatch")
    Enrolment = apps.get_model("enrolment", "Enrolment")
    sent = dict(
        Batch.objects.filter(submitted_at__isnull=False)
        .values("programme_id")
        .annotate(at=Min("submitted_at"))
        .values_list("programme_id", "at")
    )
    for programme_id in (
        Enrolment.objects.filter(status__in=SENT).values_list("programme_id", flat=True).distinct()
    ):
        sent.setdefault(programme_id, None)
    for programme in Programme.objects.filter(pk__in=list(sent)):
        programme.rules_locked_at = sent[programme.pk] or programme.updated_at
        programme.save(update_fields=["rules_locked_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0005_seed_pp50_all_sectors"),
        ("enrolment", "0004_account_references"),
    ]

    operations = [
        migrations.AddField(
            model_name="programme",
            name="rules_locked_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(lock_sent, migrations.RunPython.noop),
    ]

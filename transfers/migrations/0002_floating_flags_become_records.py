"""Members flagged as floating get a floating record in force: since the day the registry
entered them (the earliest day the flag can have held), where the flag said."""

from django.db import migrations


def flags_to_records(apps, schema_editor):
    Member = apps.get_model("members", "Member")
    Floating = apps.get_model("transfers", "Floating")
    flagged = Member.objects.filter(is_floating=True).values_list(
        "pk", "created_at", "floating_whereabouts"
    )
    Floating.objects.bulk_create(
        [Floating(member_id=pk, since=created.date(), whereabouts=where or "—")
         for pk, created, where in flagged.iterator()],
        batch_size=2000,
    )  # fmt: skip


def records_to_flags(apps, schema_editor):
    Member = apps.get_model("members", "Member")
    Floating = apps.get_model("transfers", "Floating")
    for record in Floating.objects.filter(returned_on__isnull=True):
        Member.objects.filter(pk=record.member_id).update(
            is_floating=True, floating_whereabouts=record.whereabouts[:120]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("transfers", "0001_initial"),
    ]

    operations = [migrations.RunPython(flags_to_records, records_to_flags)]

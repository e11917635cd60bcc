"""The development app's reminders move here (the rows are copied as they are)."""

from django.db import migrations

COPY = """
    INSERT INTO reminders_reminder (source, kind, organization_id, member_id, subject_id,
                                    subject_name, due_on, remind_from)
    SELECT 'development', kind, organization_id, member_id, step_id, '', due_on, remind_from
    FROM development_reminder
"""


class Migration(migrations.Migration):
    dependencies = [
        ("reminders", "0001_initial"),
        ("development", "0008_vote_at_a_meeting"),
    ]

    operations = [migrations.RunSQL(COPY, migrations.RunSQL.noop)]

# The Job model now belongs to partybuild (see partybuild/migrations/0002_job.py); the table
# is kept.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0002_statistics'),
        ('partybuild', '0002_job'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='Job')],
            database_operations=[],
        ),
    ]

# The background jobs move here from reports (a mechanism every app uses). The table stays
# as it is; only Django's idea of which app holds the model changes.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('partybuild', '0001_initial'),
        ('reports', '0002_statistics'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Job',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(max_length=32, verbose_name='kind')),
                        ('params', models.JSONField(default=dict)),
                        ('status', models.CharField(choices=[('queued', 'queued'), ('running', 'running'), ('done', 'done'), ('failed', 'failed')], default='queued', max_length=12, verbose_name='status')),
                        ('progress', models.PositiveSmallIntegerField(default=0)),
                        ('file', models.FileField(blank=True, upload_to='exports/%Y/%m/')),
                        ('error', models.TextField(blank=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('finished_at', models.DateTimeField(blank=True, null=True)),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'ordering': ['-created_at'],
                        'db_table': 'reports_job',
                    },
                ),
            ],
            database_operations=[],
        ),
    ]

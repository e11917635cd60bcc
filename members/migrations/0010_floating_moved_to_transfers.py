"""Floating is a dated record now (transfers.Floating, copied by transfers 0002)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0009_transfer_pending'),
        ('transfers', '0002_floating_flags_become_records'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='historicalmember',
            name='floating_whereabouts',
        ),
        migrations.RemoveField(
            model_name='historicalmember',
            name='is_floating',
        ),
        migrations.RemoveField(
            model_name='member',
            name='floating_whereabouts',
        ),
        migrations.RemoveField(
            model_name='member',
            name='is_floating',
        ),
    ]

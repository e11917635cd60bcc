"""Background work of the appraisal: opening a campaign over a large subtree."""

import datetime

from celery import shared_task
from django.urls import reverse

from organizations.models import Organization
from partybuild.jobs import running, set_progress

from . import services

DATES = ("starts_on", "ends_on", "deadline")


def campaign_params(organization: Organization, fields: dict) -> dict:
    """The form's values as a job's parameters (JSON)."""
    values = {k: v.isoformat() if k in DATES else v for k, v in fields.items()}
    return {"organization": organization.pk, "fields": values}


@shared_task
def open_campaign(job_id: int) -> None:
    """Open the campaign of the job's parameters; the job page then opens the campaign."""
    with running(job_id) as job:
        fields = dict(job.params["fields"])
        for name in DATES:
            fields[name] = datetime.date.fromisoformat(fields[name])
        campaign = services.campaign_open(
            organization=Organization.objects.get(pk=job.params["organization"]),
            by=job.user,
            progress=lambda percent: set_progress(job, percent),
            **fields,
        )
        job.result = {
            "next": reverse("appraisals:campaign_detail", args=[campaign.pk]),
            "rows": campaign.sheets.count(),
        }

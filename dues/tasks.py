from celery import shared_task

from . import ledger


@shared_task(name="dues.tasks.open_months")
def open_months() -> int:
    """Nightly: open the new month's dues of every member who owes (before the reminders'
    rebuild reads them)."""
    return ledger.open_month()

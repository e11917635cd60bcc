"""Background job pages: progress, status for polling, download. A job is its user's own."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from . import health
from .jobs import download
from .models import Job, JobStatus
from .sheets import ImportResult


def _job(request: HttpRequest, pk: int) -> Job:
    """A job is its starter's own: anyone else gets 404."""
    return get_object_or_404(Job, pk=pk, user=request.user)


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    result = ImportResult.from_dict(job.result) if job.result else None
    return render(request, "jobs/job_detail.html", {"job": job, "result": result})


@login_required
def job_status(request: HttpRequest, pk: int) -> JsonResponse:
    job = _job(request, pk)
    return JsonResponse(
        {
            "status": job.status,
            "label": job.get_status_display(),
            "progress": job.progress,
            "next": job.opens if job.status == JobStatus.DONE else "",
            "error": job.error if job.status == JobStatus.FAILED else "",
        }
    )


@login_required
def job_download(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    if job.status != JobStatus.DONE or not job.file:
        raise Http404
    return download(job)


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    """我的导出: the user's exports and imports, newest first."""
    jobs = Job.objects.filter(user=request.user).order_by("-created_at", "-id")
    page = Paginator(jobs, 50).get_page(request.GET.get("page"))
    return render(request, "jobs/job_list.html", {"page": page})


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """No login and no data: each check's state, and 503 when any is failing, so that a load
    balancer takes the instance out (deploy/nginx and the README's production section)."""
    checks = health.run_checks()
    ok = all(check.ok for check in checks.values())
    body = {
        "status": "ok" if ok else "failing",
        "checks": {name: {"ok": c.ok, "detail": c.detail} for name, c in checks.items()},
    }
    return JsonResponse(body, status=200 if ok else 503)

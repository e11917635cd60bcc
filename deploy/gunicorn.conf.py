"""gunicorn's settings for partybuild (deploy/systemd/partybuild-web.service and the smoke
test of make test use this file). Every value can be changed from the environment."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Two per core plus one, at most 8: the pages are database-bound, not CPU-bound.
workers = int(os.environ.get("GUNICORN_WORKERS", min(8, 2 * multiprocessing.cpu_count() + 1)))
# A request that runs longer is killed: long work goes to the Celery queues instead.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
# nginx on the same machine sets X-Forwarded-Proto; trust it from there only.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
# No request line or header beyond what a browser sends; bodies are bounded by nginx.
limit_request_line = 8190
max_requests = 2000  # a worker is replaced after this many requests (memory stays flat)
max_requests_jitter = 200
wsgi_app = "partybuild.wsgi:application"

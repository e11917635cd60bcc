# partybuild: two commands for a newcomer.
#   make run   set up, load demo data, serve on http://127.0.0.1:8000 (SQLite, in-process tasks)
#   make test  set up and run the whole suite: SQLite, PostgreSQL + Redis + Celery, browser
.PHONY: run test setup lint messages worker

PY := .venv/bin/python
# The development server and the commands around it run with DEBUG on, explicitly; the
# settings default to production's DEBUG off.
DEV := DEBUG=1
HOST ?= 127.0.0.1
PORT ?= 8000

setup:
	@scripts/setup.sh

messages: setup
	@$(DEV) $(PY) manage.py compilemessages -l zh_Hans --ignore=.venv >/dev/null

run: setup messages
	@$(DEV) $(PY) manage.py migrate --noinput -v0
	@$(DEV) $(PY) manage.py seed_demo --if-empty
	@echo "partybuild is at http://$(HOST):$(PORT)/ — log in as 'committee' (or another demo login above), password: partybuild-demo"
	@$(DEV) $(PY) manage.py runserver $(HOST):$(PORT)

test:
	@scripts/test.sh

lint: setup
	@.venv/bin/ruff check .
	@.venv/bin/ruff format --check .

worker: setup
	@$(DEV) .venv/bin/celery -A partybuild worker --loglevel=info

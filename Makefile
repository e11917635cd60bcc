# partybuild: two commands for a newcomer.
#   make run   set up, load demo data, serve on http://127.0.0.1:8000 (SQLite, in-process tasks)
#   make test  set up and run the whole suite: SQLite, PostgreSQL + Redis + Celery, browser
.PHONY: run test setup lint messages worker

PY := .venv/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

setup:
	@scripts/setup.sh

messages: setup
	@$(PY) manage.py compilemessages -l zh_Hans --ignore=.venv >/dev/null

run: setup messages
	@$(PY) manage.py migrate --noinput -v0
	@$(PY) manage.py seed_demo --if-empty
	@echo "partybuild is at http://$(HOST):$(PORT)/ — log in as 'committee' (or another demo login above), password: partybuild-demo"
	@$(PY) manage.py runserver $(HOST):$(PORT)

test:
	@scripts/test.sh

lint: setup
	@.venv/bin/ruff check .
	@.venv/bin/ruff format --check .

worker: setup
	@.venv/bin/celery -A partybuild worker --loglevel=info

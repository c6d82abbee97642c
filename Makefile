# Two commands do all the set-up: `make run` (the demo portal on SQLite) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

# The real stack for the tests; override any of these from the environment.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/minamata_portal
REDIS_URL ?= redis://127.0.0.1:6379/0
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/minamata_portal_bench
# The bench empties its Redis database (the letters bench's Celery queues): one nothing else uses
# (0: the tests, 1: the compose stack's cache, 2: mutation testing).
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/3
TEST_ENV = PORTAL_ENV_FILE=/nonexistent SECRET_KEY=test-only-not-secret DEBUG=false \
	DATABASE_URL=$(TEST_DATABASE_URL) CELERY_BROKER_URL=$(REDIS_URL) REDIS_URL=$(REDIS_URL) \
	CACHE_URL=locmemcache:// EMAIL_URL=memorymail:// CELERY_TASK_ALWAYS_EAGER=true \
	SECURE_SSL_REDIRECT=false STATICFILES_STORAGE=django.contrib.staticfiles.storage.StaticFilesStorage \
	PASSWORD_HASHERS=django.contrib.auth.hashers.MD5PasswordHasher

.PHONY: pytest run test lint format bench mutation install system-deps messages compilemessages totp clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: requirements.txt requirements/*.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

install: $(VENV)/.installed

system-deps:
	bin/system-deps

# The embedded default: SQLite, Celery tasks run eagerly, mail written to files in var/mail.
.env:
	@mkdir -p var/mail
	@$(PYTHON) -c "import secrets; print('SECRET_KEY=' + secrets.token_urlsafe(50))" > .env
	@printf '%s\n' 'DEBUG=true' 'DATABASE_URL=sqlite:///var/portal.sqlite3' \
		'CELERY_TASK_ALWAYS_EAGER=true' 'EMAIL_URL=filemail:///$(CURDIR)/var/mail' \
		'CACHE_URL=locmemcache://' 'ACCOUNT_DEFAULT_HTTP_PROTOCOL=http' \
		'SITE_URL=http://$(HOST):$(PORT)' 'STAFF_MFA_REQUIRED=true' >> .env
	@echo "Wrote .env with a generated SECRET_KEY (embedded demo settings)."

compilemessages: install
	PORTAL_ENV_FILE=/nonexistent SECRET_KEY=x DATABASE_URL=sqlite:// $(BIN)/python manage.py compilemessages -v0 --ignore=.venv

messages: install
	PORTAL_ENV_FILE=/nonexistent SECRET_KEY=x DATABASE_URL=sqlite:// $(BIN)/python manage.py makemessages -l fr -l es --ignore=.venv --ignore=var --no-obsolete
	$(MAKE) compilemessages

run: install .env
	@bin/system-deps || true
	$(MAKE) compilemessages
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py load_demo
	@echo "Outgoing mail is written to var/mail/. Serving on http://$(HOST):$(PORT)/"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

totp: install
	@$(BIN)/python manage.py totp_code $(EMAIL)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: install
	bin/system-deps --browser
	@$(TEST_ENV) bin/check-services
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MAKE) compilemessages
	$(TEST_ENV) DATABASE_URL=sqlite:// $(BIN)/python manage.py makemigrations --check --dry-run -v1
	$(TEST_ENV) $(BIN)/pytest $(PYTEST_ARGS)

bench: install compilemessages
	@$(TEST_ENV) bin/check-services
	$(TEST_ENV) DATABASE_URL=$(BENCH_DATABASE_URL) CELERY_BROKER_URL=$(BENCH_REDIS_URL) \
		REDIS_URL=$(BENCH_REDIS_URL) $(BIN)/python -m bench $(BENCH_ARGS)

# Mutation testing of the rules modules (issue 19): not run by CI; run it before a release and after
# changing a rule. One module at a time, each mutant against only the tests that call the mutated
# function ([tool.mutmut] in pyproject.toml lists the modules and the tests that cover them), on
# PostgreSQL, niced, one worker. Prints the score per module and each surviving mutant's diff;
# mutants/ (git-ignored) keeps the results for `.venv/bin/mutmut browse` until the next run.
MUTATION_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/minamata_portal_mutation
MUTATION_REDIS_URL ?= redis://127.0.0.1:6379/2
MUTATION_MODULES ?= participants.services.visas:_six_months_after,visa_request_check participants.services.funding:dsa_amount participants.selectors:registration_is_open,credentials_deadline,funding_eligibility,dsa_rate_for documents.selectors:timeliness documents.services.submissions:call_for_submissions_check,submission_check documents.services.registration:default_target_date reference.services:_date participants.services.credentials:credentials_check,credentials_in_due_form_check,_verdict_after_change participants.services.registration:registration_scope_check,registration_capacity_check,delegation_head_check,registration_change_check,registration_duplicate_check reference.models:CountryClassification.holds_on,CountryClassificationQuerySet.holding_on,Country.classifications_on,Country.party_standing_on,Country.is_party_on,ConventionParty.standing_on,ConventionParty.is_party_on,parties_table_valid_on,parties_table_valid_by reference.selectors bureau.selectors:_day,memberships_on,user_is_current_bureau_member,terms_overlapping,spans_overlapping,term_current,term_balance bureau.services.composition documents.symbols
mutation: install compilemessages
	@$(TEST_ENV) bin/check-services
	rm -rf mutants
	mkdir -p mutants
	@# fresh test databases, so `--reuse-db` in [tool.mutmut] never runs against an old schema
	$(BIN)/python -m mutation.reset_db $(MUTATION_DATABASE_URL)
	@set -ef; for module in $(MUTATION_MODULES); do \
		log=mutants/$${module%%:*}.log; patterns=$$($(BIN)/python -m mutation.entries "$$module"); \
		echo "== mutation: $$module (log: $$log)"; start=$$(date +%s); \
		$(TEST_ENV) DATABASE_URL=$(MUTATION_DATABASE_URL) CELERY_BROKER_URL=$(MUTATION_REDIS_URL) \
			REDIS_URL=$(MUTATION_REDIS_URL) PYTEST_PLUGINS=mutation.reference_once nice -n 19 $(BIN)/mutmut run --max-children 1 $$patterns \
			>> $$log 2>&1 || { tail -n 30 $$log; exit 1; }; \
		echo "   done in $$(( $$(date +%s) - start )) s"; \
	done
	$(BIN)/python -m mutation.report $(MUTATION_MODULES)

clean:
	rm -rf var/portal.sqlite3 var/mail .pytest_cache

# Only pytest, with the test environment (for working on one app: make pytest PYTEST_ARGS=tests/meetings).
pytest: install
	@$(TEST_ENV) bin/check-services
	$(TEST_ENV) $(BIN)/pytest $(PYTEST_ARGS)

# The production-shaped image: one image for web (gunicorn), Celery worker and Celery beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
# WeasyPrint's libraries, with HarfBuzz's subsetter (without it every PDF is about eight times
# slower), fonts for the six UN languages, gettext for the catalogues, and pg_dump/pg_restore of
# the server's major version (PostgreSQL 15) for `manage.py backup` and `restore`.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b \
    libharfbuzz-subset0 fonts-dejavu-core fonts-noto-core fonts-noto-cjk gettext curl \
    postgresql-client-15 \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# The production set only: no test runner, browser driver or linter in the image.
COPY requirements/ requirements/
RUN pip install -r requirements/production.txt
COPY . .
RUN PORTAL_ENV_FILE=/nonexistent SECRET_KEY=build DATABASE_URL=sqlite:// \
    python manage.py compilemessages -v0 --ignore=.venv \
 && PORTAL_ENV_FILE=/nonexistent SECRET_KEY=build DATABASE_URL=sqlite:// \
    python manage.py collectstatic --noinput -v0 \
 && useradd --create-home portal && mkdir -p /app/var/media && chown -R portal /app/var
USER portal
EXPOSE 8000
CMD ["gunicorn", "minamata_portal.wsgi", "--bind", "0.0.0.0:8000", "--workers", "2"]

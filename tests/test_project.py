"""The project's set-up: production settings, compose file, PDF rendering, health."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from minamata_portal.pdf import ForbiddenResource, html_to_pdf, static_url_fetcher, uses_harfbuzz_subsetter

ROOT = Path(__file__).resolve().parent.parent


def test_deploy_check_has_no_warnings_with_debug_off():
    env = {
        **os.environ,
        "PORTAL_ENV_FILE": "/nonexistent",
        "DEBUG": "false",
        "SECRET_KEY": "a-production-like-secret-" + "x" * 40,
        "SECURE_SSL_REDIRECT": "true",
        "STATICFILES_STORAGE": "whitenoise.storage.CompressedManifestStaticFilesStorage",
    }
    env.pop("SESSION_COOKIE_SECURE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_settings_refuse_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env["PORTAL_ENV_FILE"] = "/nonexistent"
    result = subprocess.run(
        [sys.executable, "-c", "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='minamata_portal.settings'; django.setup()"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def _compose_command():
    if (
        shutil.which("docker")
        and subprocess.run(["docker", "compose", "version"], capture_output=True, check=False).returncode == 0
    ):
        return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None


@pytest.mark.skipif(_compose_command() is None, reason="no docker compose client on this machine")
def test_docker_compose_file_is_accepted_and_uses_the_documented_commands(tmp_path):
    for name in ("docker-compose.yml", "Dockerfile", ".env.example"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / ".env.example", tmp_path / ".env")
    result = subprocess.run(
        [*_compose_command(), "config"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    config = result.stdout
    assert "gunicorn minamata_portal.wsgi" in config
    assert "celery -A minamata_portal worker" in config
    assert "celery -A minamata_portal beat" in config
    for service in (
        "migrate:",
        "buckets:",
        "minio:",
        "web:",
        "worker:",
        "beat:",
        "db:",
        "redis:",
        "mailpit:",
    ):
        assert f"  {service}" in config
    assert config.count("DJANGO_SETTINGS_MODULE: minamata_portal.settings") == 4
    # web, worker and beat each wait for the one-shot migration and for the buckets.
    assert config.count("condition: service_completed_successfully") == 6


def _compose_service(name):
    """The lines of one service's block in docker-compose.yml (two-space indented keys)."""
    lines = (ROOT / "docker-compose.yml").read_text().splitlines()
    start = lines.index(f"  {name}:")
    block = []
    for line in lines[start + 1 :]:
        if line and not line.startswith("    ") and not line.startswith("  #"):
            break
        block.append(line)
    return "\n".join(block)


def test_migrations_run_once_in_their_own_service_not_on_every_web_start():
    migrate = _compose_service("migrate")
    assert "python manage.py migrate --noinput" in migrate
    assert 'restart: "no"' in migrate
    for name in ("web", "worker", "beat"):
        assert "migrate" not in _compose_service(name).split("command:")[1].splitlines()[0]
    # The shared definition makes web, worker and beat wait for the one-shot migration.
    anchor = (ROOT / "docker-compose.yml").read_text().split("services:")[0]
    assert "migrate: {condition: service_completed_successfully}" in anchor


def _pins(name, seen=None):
    """The package names a requirements file installs, following its -r includes."""
    path = ROOT / "requirements" / name
    names = set()
    for line in path.read_text().splitlines():
        line = line.split("#")[0].strip()
        if line.startswith("-r "):
            names |= _pins(line[3:].strip())
        elif line:
            names.add(line.split("==")[0].split("[")[0].lower())
    return names


def test_the_production_image_installs_no_test_or_lint_tools():
    production = _pins("production.txt")
    assert {"django", "celery", "weasyprint", "gunicorn", "psycopg2-binary"} <= production
    assert not {"pytest", "pytest-django", "selenium", "factory_boy", "ruff", "aiosmtpd"} & production
    assert "requirements/production.txt" in (ROOT / "Dockerfile").read_text()
    development = _pins("development.txt")
    assert production < development


def test_compose_services_share_one_settings_module_and_commands():
    compose = (ROOT / "docker-compose.yml").read_text()
    readme = (ROOT / "README.md").read_text()
    for command in (
        "gunicorn minamata_portal.wsgi",
        "celery -A minamata_portal worker",
        "celery -A minamata_portal beat",
    ):
        assert command in compose
        assert command in readme
    assert compose.count("DJANGO_SETTINGS_MODULE: minamata_portal.settings") == 1


def test_weasyprint_subsets_fonts_with_harfbuzz():
    assert uses_harfbuzz_subsetter()


def test_pdf_renders_and_reads_back():
    from io import BytesIO

    from pypdf import PdfReader

    pdf = html_to_pdf("<h1>Convention de Minamata</h1><p>Genève, 19–23 novembre 2018</p>")
    text = PdfReader(BytesIO(pdf)).pages[0].extract_text()
    assert "Convention de Minamata" in text
    assert "19–23 novembre 2018" in text


@pytest.mark.parametrize("url", ["http://example.org/x.png", "file:///etc/passwd", "https://127.0.0.1/"])
def test_pdf_rendering_fetches_nothing_outside_the_static_root(url):
    with pytest.raises(ForbiddenResource):
        static_url_fetcher(url)


def test_pdf_with_an_outside_image_still_renders_without_it():
    pdf = html_to_pdf('<p>before</p><img src="file:///etc/passwd"><img src="http://example.org/a.png">')
    assert pdf.startswith(b"%PDF")


@pytest.mark.django_db
def test_health_check(client):
    response = client.get(reverse("healthz"), secure=True)
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_language_switcher_serves_french_and_spanish(client):
    client.post(reverse("set_language"), {"language": "fr", "next": "/"}, secure=True)
    assert "Réunions" in client.get("/", secure=True).content.decode()
    client.post(reverse("set_language"), {"language": "es", "next": "/"}, secure=True)
    assert "Reuniones" in client.get("/", secure=True).content.decode()


@pytest.mark.parametrize(
    ("language", "letter_text", "bureau_organ"),
    [("fr", "texte de la lettre", "organe"), ("es", "texto de la carta", "órgano")],
)
def test_the_same_english_word_is_translated_by_its_meaning(language, letter_text, bureau_organ):
    """The word "body" is the text of a letter in one place and an organ of the Convention in another:
    a context keeps the letter template's field from reading "organe" in French."""
    from django.utils import translation

    from bureau.models import Term
    from letters.models import LetterTemplate

    with translation.override(language):
        assert str(LetterTemplate._meta.get_field("body").verbose_name) == letter_text
        assert str(Term._meta.get_field("body").verbose_name) == bureau_organ


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_the_admin_does_not_show_two_models_under_one_name(language):
    """In French "term" (of office) and "mandate" (a decision's request) were both "mandats"."""
    from django.apps import apps
    from django.utils import translation

    with translation.override(language):
        names = [
            str(model._meta.verbose_name_plural)
            for model in apps.get_models()
            if model._meta.app_label
            in ("accounts", "reference", "meetings", "participants", "documents", "bureau", "letters")
            and not model.__name__.startswith("Historical")
        ]
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)

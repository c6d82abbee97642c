"""PDF rendering shared by letters, badges, programmes and reports.

WeasyPrint may only read files from the project's static directories: a template (or a name
typed by a delegate) cannot make it fetch a URL or read an arbitrary file from the disk.
"""

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlparse

import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint.urls import URLFetcher, URLFetcherResponse


class ForbiddenResource(ValueError):
    pass


def _static_roots() -> list[Path]:
    roots = [Path(p).resolve() for p in settings.STATICFILES_DIRS]
    roots.append(Path(settings.STATIC_ROOT).resolve())
    return roots


def static_path_for(url: str) -> Path:
    """The file a `static:` or `file:` URL names, if it lies under a static root."""
    parsed = urlparse(url)
    if parsed.scheme == "static":
        found = finders.find(unquote(parsed.path).lstrip("/"))
        if not found:
            raise ForbiddenResource(f"static file not found: {url}")
        path = Path(found).resolve()
    elif parsed.scheme == "file":
        path = Path(unquote(parsed.path)).resolve()
    else:
        raise ForbiddenResource(f"refused to fetch {url}")
    if not any(path.is_relative_to(root) for root in _static_roots()):
        raise ForbiddenResource(f"refused to read {path}")
    return path


class StaticOnlyURLFetcher(URLFetcher):
    """Serves `data:` URLs and files under the static roots; refuses the network and the rest
    of the disk."""

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = static_path_for(url)
        mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": mime_type})


def static_url_fetcher(url: str):
    return StaticOnlyURLFetcher().fetch(url)


def html_to_pdf(html: str, *, base_url: str | None = None) -> bytes:
    base = base_url or (Path(settings.BASE_DIR) / "static").as_uri() + "/"
    document = weasyprint.HTML(string=html, base_url=base, url_fetcher=StaticOnlyURLFetcher())
    return document.write_pdf()


def render_pdf(template_name: str, context: dict, *, request=None) -> bytes:
    return html_to_pdf(render_to_string(template_name, context, request=request))


def uses_harfbuzz_subsetter() -> bool:
    """True when WeasyPrint will subset fonts with HarfBuzz (Debian's libharfbuzz-subset0):
    without it WeasyPrint falls back to fontTools, about eight times slower per letter."""
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

    return bool(harfbuzz_subset) and bool(harfbuzz.hb_version_atleast(4, 1, 0))

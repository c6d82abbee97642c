"""Public pages: requests per second and p95 of the pages everyone reads during a meeting, beside
/healthz (the framework's floor: the whole middleware stack and a database transaction, no page),
served by gunicorn with 2 workers on PostgreSQL with the demo data, 8 anonymous clients at once;
each page twice, from a server with the page cache and from one without (PUBLIC_CACHE_SECONDS=0).

`make bench BENCH_ARGS=pages` (PAGES_BENCH_SECONDS=2 for a shorter run; PAGES_BENCH_CONCURRENCY,
PAGES_BENCH_WORKERS). The server gets the bench's Redis as its cache (two worker processes share
it, as in production; the bench deletes only the pages kept there, `publiccache:*`) and the
settings' own CONN_MAX_AGE unless PAGES_BENCH_CONN_MAX_AGE is set.

The load client is one asyncio loop in this process: each request opens a connection, sends a GET
and reads until gunicorn's sync worker closes it (no keep-alive, as gunicorn's sync workers serve).
The machine is shared by the clients and the server, so figures are noisy: each page is measured
right after /healthz and compared with that figure, which is what compares across machines.
"""

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECONDS = float(os.environ.get("PAGES_BENCH_SECONDS", "4"))
CONCURRENCY = int(os.environ.get("PAGES_BENCH_CONCURRENCY", "8"))
WORKERS = int(os.environ.get("PAGES_BENCH_WORKERS", "2"))
MEETING = "cop-2"


def _pages() -> list[tuple[str, str]]:
    code = MEETING
    return [
        ("home", "/"),
        ("meetings list", "/meetings/"),
        (f"meeting page ({code})", f"/meetings/{code}/"),
        (f"agenda ({code})", f"/meetings/{code}/agenda/"),
        (f"programme ({code})", f"/meetings/{code}/programme/"),
        (f"documents of {code}", f"/documents/meetings/{code}/"),
        ("documents search form", "/documents/"),
        ("documents search 'mercury'", "/documents/?q=mercury"),
        ("decisions", "/bureau/decisions/"),
        ("calendar feed (all meetings)", "/meetings/calendar.ics"),
        ("calendar feed (COPs)", "/meetings/calendar/cop.ics"),
        (f"programme feed ({code})", f"/meetings/{code}/programme.ics"),
    ]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def _get(port: int, request: bytes) -> tuple[int, float]:
    started = time.perf_counter()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(request)
    data = await reader.read()  # gunicorn's sync worker closes the connection after the answer
    writer.close()
    status = int(data[9:12]) if data[:5] == b"HTTP/" else 0
    return status, time.perf_counter() - started


async def _load(port: int, path: str, seconds: float) -> tuple[int, list[float], dict[int, int]]:
    request = (
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Language: en\r\nConnection: close\r\n\r\n"
    ).encode()
    times: list[float] = []
    statuses: dict[int, int] = {}
    deadline = time.perf_counter() + seconds

    async def client():
        while time.perf_counter() < deadline:
            status, elapsed = await _get(port, request)
            statuses[status] = statuses.get(status, 0) + 1
            times.append(elapsed)

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(CONCURRENCY)))
    return len(times) / (time.perf_counter() - started), times, statuses


def _p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] if ordered else float("nan")


def _measure(port: int, path: str, seconds: float) -> tuple[float, float, dict[int, int]]:
    rate, times, statuses = asyncio.run(_load(port, path, seconds))
    return rate, _p95(times), statuses


def _wait_ready(port: int, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited: {server.stderr.read()}")
        try:
            status, _elapsed = asyncio.run(
                _get(port, b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            )
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer /healthz in time")


def _loadavg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def run():
    from django.core.management import call_command

    from meetings.models import Meeting

    if not Meeting.objects.filter(code=MEETING).exists():
        started = time.perf_counter()
        call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
        print(f"   demo data loaded in {time.perf_counter() - started:.1f} s", flush=True)
    port = _free_port()
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECURE_SSL_REDIRECT": "false",
        "LOG_LEVEL": "WARNING",
        # Shared by both workers, as in production: an invalidation reaches both.
        "CACHE_URL": os.environ.get("REDIS_URL", "").replace("redis://", "rediscache://", 1)
        or "locmemcache://",
    }
    if "PAGES_BENCH_CONN_MAX_AGE" in os.environ:
        env["CONN_MAX_AGE"] = os.environ["PAGES_BENCH_CONN_MAX_AGE"]
    if env["CACHE_URL"].startswith("rediscache://"):
        import redis

        # Only the pages an earlier run kept: the rest of the database is not the bench's.
        client = redis.Redis.from_url(os.environ["REDIS_URL"])
        for key in client.scan_iter(match="*publiccache:*"):
            client.delete(key)
    # The same server twice: with the page cache, and without it (what a page costs rendered).
    uncached_port = _free_port()
    server = _serve(port, env)
    uncached = _serve(uncached_port, {**env, "PUBLIC_CACHE_SECONDS": "0"})
    try:
        _wait_ready(port, server)
        _wait_ready(uncached_port, uncached)
        from django.conf import settings

        print(
            f"   gunicorn {WORKERS} workers, {CONCURRENCY} clients, {SECONDS:g} s a page; "
            f"CONN_MAX_AGE={env.get('CONN_MAX_AGE', settings.DATABASES['default']['CONN_MAX_AGE'])}, "
            f"cache {env['CACHE_URL'].split('://')[0]}; load average before: {_loadavg()}",
            flush=True,
        )
        pages = _pages()
        for _label, path in [("healthz", "/healthz"), *pages]:
            _measure(port, path, 0.5)  # warm: connections, templates, the cache
            _measure(uncached_port, path, 0.5)
        # /healthz is measured again just before each page: on a shared machine the load moves
        # within a run, and each page is compared with the floor of the same moment.
        print(
            f"   {'page':<30} {'cached':>7} {'p95 ms':>7} {'ratio':>6} {'uncached':>9} {'p95 ms':>7} "
            f"{'ratio':>6} {'/healthz':>9} {'p95 ms':>7}"
        )
        ratios, uncached_ratios = [], []
        for label, path in pages:
            floor_rate, floor_p95, _statuses = _measure(port, "/healthz", SECONDS)
            rate, p95, statuses = _measure(port, path, SECONDS)
            bare_rate, bare_p95, bare_statuses = _measure(uncached_port, path, SECONDS)
            ratios.append(rate / floor_rate)
            uncached_ratios.append(bare_rate / floor_rate)
            odd = {s: n for s, n in [*statuses.items(), *bare_statuses.items()] if s != 200}
            note = f"  (answers other than 200: {odd})" if odd else ""
            print(
                f"   {label:<30} {rate:>7.0f} {p95 * 1000:>7.1f} {ratios[-1]:>6.0%} {bare_rate:>9.0f} "
                f"{bare_p95 * 1000:>7.1f} {uncached_ratios[-1]:>6.0%} {floor_rate:>9.0f} {floor_p95 * 1000:>7.1f}"
                f"{note}",
                flush=True,
            )
        print(
            f"   pages at {min(ratios):.0%}–{max(ratios):.0%} of /healthz with the page cache (target ≥ 50 %), "
            f"{min(uncached_ratios):.0%}–{max(uncached_ratios):.0%} without; load average after: {_loadavg()}"
        )
    finally:
        for process in (server, uncached):
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)


def _serve(port: int, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "minamata_portal.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", str(WORKERS), "--config", "python:minamata_portal.gunicorn", "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip

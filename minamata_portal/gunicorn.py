"""gunicorn's settings for the web service (docker-compose.yml: `--config python:minamata_portal.gunicorn`).

With PROMETHEUS_MULTIPROC_DIR set, every gunicorn worker writes its metrics there and /metrics sums
them: the directory is emptied when the server starts, and a worker that exits is marked dead so
its gauges stop counting."""

import os
import shutil


def on_starting(server):
    path = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if path:
        shutil.rmtree(path, ignore_errors=True)
        os.makedirs(path, exist_ok=True)


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)

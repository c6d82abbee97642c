import json

from django.core.management.base import BaseCommand, CommandError

from operations.health import READINESS_CHECKS, readiness_report


class Command(BaseCommand):
    help = "Print /readyz's report (or only the checks named) and exit 1 when not ready: for health checks."

    def add_arguments(self, parser):
        parser.add_argument(
            "checks", nargs="*", help=f"checks to run: {', '.join(READINESS_CHECKS)} (default all)"
        )

    def handle(self, *args, checks=(), **options):
        unknown = sorted(set(checks) - set(READINESS_CHECKS))
        if unknown:
            raise CommandError(f"Unknown check(s): {', '.join(unknown)}.")
        ready, report = readiness_report(list(checks) or None)
        self.stdout.write(json.dumps(report))
        if not ready:
            raise SystemExit(1)

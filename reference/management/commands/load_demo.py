import importlib

from django.core.management.base import BaseCommand
from django.db import transaction

from reference.services import reference_data_load

# Each app keeps its own demo in `<app>/demo.py` with a `load()`; they run in this order because
# later ones build on earlier ones (registrations need meetings, letters need registrations).
DEMO_MODULES = [
    "accounts",
    "meetings",
    "participants",
    "documents",
    "bureau",
    "expertgroups",
    "calls",
    "letters",
]


class Command(BaseCommand):
    help = "Load reference data and the demo: real 2017–2022 meetings, accounts for every role."

    def handle(self, *args, **options):
        with transaction.atomic():
            self.stdout.write(
                "Reference data: " + ", ".join(f"{k} {v}" for k, v in reference_data_load().items())
            )
            logins = []
            for app in DEMO_MODULES:
                try:
                    module = importlib.import_module(f"{app}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{app}.demo":
                        raise
                    continue
                result = module.load()
                if app == "accounts":
                    logins = result
                elif result:
                    self.stdout.write(f"Demo {app}: " + ", ".join(f"{k} {v}" for k, v in result.items()))
        self.stdout.write("")
        self.stdout.write("Demo accounts (passwords derive from this machine's generated SECRET_KEY):")
        for login in logins:
            self.stdout.write(f"  {login['role']:<26} {login['email']:<40} {login['password']}")
            if login["totp_secret"]:
                self.stdout.write(
                    f"  {'':<26} two-factor secret (add to an authenticator app): {login['totp_secret']}"
                )
        if any(login["staff"] for login in logins):
            self.stdout.write(
                "  Staff sign in with a two-factor code; for the demo: make totp EMAIL=admin@demo.mercury.test"
            )

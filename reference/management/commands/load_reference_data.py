from django.core.management.base import BaseCommand

from reference.services import reference_data_load


class Command(BaseCommand):
    help = "Load UN States, regional groups, funding classifications and Convention Parties."

    def add_arguments(self, parser):
        parser.add_argument(
            "--refresh",
            action="store_true",
            help="Overwrite rows from the shipped files, undoing corrections made in the admin.",
        )

    def handle(self, *args, refresh=False, **options):
        counts = reference_data_load(refresh=refresh)
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in counts.items()))

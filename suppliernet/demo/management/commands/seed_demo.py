from django.core.management.base import BaseCommand

from suppliernet.demo.seeding import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Load the demo companies, users and suppliers (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--suppliers", type=int, default=300, help="suppliers per buyer")

    def handle(self, *args, suppliers: int, **options):
        logins = seed_demo(suppliers)
        self.stdout.write(f"Demo logins (password: {DEMO_PASSWORD}):")
        for email, role in logins:
            self.stdout.write(f"  {email:<32} {role}")

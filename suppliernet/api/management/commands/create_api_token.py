"""`manage.py create_api_token --company CO:900123456 --name erp [--role admin|read]`

Prints the new token alone on standard output (so `TOKEN=$(…)` works); it is shown once."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from suppliernet.api.models import ApiToken, TokenRole
from suppliernet.api.tokens import create_token
from suppliernet.audit.models import Channel
from suppliernet.companies.commandline import company_argument


class Command(BaseCommand):
    help = "Creates an API token for a company and prints it (only this once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--company", required=True, help="COUNTRY:TAX_ID, e.g. CO:900123456 or CL:76086428-5"
        )
        parser.add_argument("--name", required=True, help="What uses the token, e.g. erp")
        parser.add_argument("--role", choices=TokenRole.values, default=TokenRole.ADMIN)

    def handle(self, *args, company: str, name: str, role: str, **options) -> None:
        found = company_argument(company)
        limit = ApiToken._meta.get_field("name").max_length
        if not name.strip() or len(name) > limit:
            raise CommandError(f"--name must be 1 to {limit} characters.")
        new = create_token(
            company=found, name=name.strip(), role=role, by=None, channel=Channel.SYSTEM
        )
        self.stderr.write(
            f"Token {new.token.prefix}… ({role}) for {found}. Copy it now; it is not shown again."
        )
        self.stdout.write(new.secret)

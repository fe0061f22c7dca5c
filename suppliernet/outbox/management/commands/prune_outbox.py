from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand

from suppliernet.outbox.retention import prune_finished


class Command(BaseCommand):
    help = "Deletes sent, failed and cancelled e-mails older than --days (run it daily)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--days", type=int, default=settings.OUTBOX_KEEP_DAYS)

    def handle(self, *args, days: int, **options) -> None:
        if days < 1:
            self.stderr.write("--days must be 1 or more.")
            raise SystemExit(2)
        deleted = prune_finished(older_than=timedelta(days=days))
        self.stdout.write(f"Deleted {deleted} finished e-mails older than {days} days.")

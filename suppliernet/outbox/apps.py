from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "suppliernet.outbox"
    verbose_name = _("Outgoing mail")

    def ready(self) -> None:
        from suppliernet.outbox import checks  # noqa: F401  (registers the deploy check)

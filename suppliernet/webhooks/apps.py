from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "suppliernet.webhooks"
    verbose_name = _("Webhooks")

    def ready(self) -> None:
        from suppliernet.webhooks import receivers  # noqa: F401  (connects the receivers)

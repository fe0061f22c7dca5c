from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvitationsConfig(AppConfig):
    name = "suppliernet.invitations"
    verbose_name = _("Invitations")

    def ready(self) -> None:
        from suppliernet.invitations import tracking  # noqa: F401  (connects the receivers)

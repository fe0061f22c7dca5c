from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationConfig(AppConfig):
    name = "suppliernet.registration"
    verbose_name = _("Registration")

    def ready(self) -> None:
        from suppliernet.registration import logs

        logs.install()

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    name = "suppliernet.operations"
    verbose_name = _("Operations")

    def ready(self) -> None:
        from django.core.signals import request_finished

        from suppliernet.operations.requestid import clear_request_id

        request_finished.connect(clear_request_id, dispatch_uid="operations.clear_request_id")

"""Which events come from where: the outbox's delivery signals (an invitation's latest
message sent or refused for good), registration (invitations accepted) and imports
(finished). Payloads are the API's own objects, so an ERP reads one shape everywhere."""

from __future__ import annotations

from django.dispatch import receiver

from suppliernet.imports.models import SupplierImport
from suppliernet.imports.signals import import_finished
from suppliernet.invitations.models import Invitation, Status
from suppliernet.outbox.models import OutgoingMail
from suppliernet.outbox.signals import mail_failed, mails_sent
from suppliernet.registration.signals import invitations_accepted
from suppliernet.webhooks.events import emit
from suppliernet.webhooks.models import Event


def _emit_invitations(event: str, invitations) -> None:
    from suppliernet.api.invitations import InvitationOut

    for invitation in invitations:
        emit(
            company=invitation.buyer_id,
            event=event,
            data={"invitation": InvitationOut.of(invitation).model_dump(mode="json")},
        )


# invitations.tracking records the outcome first (its receivers are connected earlier: apps
# are readied in INSTALLED_APPS order); an invitation points at its latest message only, so a
# message replaced by a resend reports nothing.
@receiver(mails_sent, dispatch_uid="webhooks.mails_sent")
def invitations_sent(sender, *, mails: list[OutgoingMail], **kwargs) -> None:
    _emit_invitations(
        Event.INVITATION_SENT,
        Invitation.objects.filter(mail__in=mails, status=Status.SENT).order_by("pk"),
    )


@receiver(mail_failed, dispatch_uid="webhooks.mail_failed")
def invitation_failed(sender, *, mail: OutgoingMail, permanent: bool, **kwargs) -> None:
    if permanent:
        _emit_invitations(
            Event.INVITATION_FAILED, Invitation.objects.filter(mail=mail, status=Status.FAILED)
        )


@receiver(invitations_accepted, dispatch_uid="webhooks.invitations_accepted")
def invitation_accepted(sender, *, invitation_ids: list, **kwargs) -> None:
    _emit_invitations(
        Event.INVITATION_ACCEPTED, Invitation.objects.filter(pk__in=invitation_ids).order_by("pk")
    )


@receiver(import_finished, dispatch_uid="webhooks.import_finished")
def import_done(sender, *, supplier_import_id, **kwargs) -> None:
    from suppliernet.api.imports import ImportOut

    supplier_import = SupplierImport.objects.get(pk=supplier_import_id)
    emit(
        company=supplier_import.buyer_id,
        event=Event.IMPORT_FINISHED,
        data={"import": ImportOut.of(supplier_import).model_dump(mode="json")},
    )

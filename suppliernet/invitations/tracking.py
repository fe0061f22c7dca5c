"""An invitation follows the delivery of its latest message: sent when the SMTP server
accepted it, failed when the server refused it for good. Temporary failures leave it queued
while the outbox retries. Messages an invitation no longer points to (replaced by a resend)
change nothing."""

from __future__ import annotations

from django.db.models import OuterRef, Subquery
from django.dispatch import receiver
from django.utils import timezone

from suppliernet.invitations.models import Invitation, Status
from suppliernet.outbox.models import OutgoingMail
from suppliernet.outbox.signals import mail_failed, mails_sent

REASON_LENGTH = Invitation._meta.get_field("failure_reason").max_length


@receiver(mails_sent, dispatch_uid="invitations.mails_sent")
def mark_sent(sender, *, mails: list[OutgoingMail], **kwargs) -> None:
    # One statement for the group; each invitation takes its own message's time and Message-ID.
    own = OutgoingMail.objects.filter(pk=OuterRef("mail_id"))
    Invitation.objects.filter(mail__in=mails, status=Status.QUEUED).update(
        status=Status.SENT,
        sent_at=Subquery(own.values("sent_at")[:1]),
        message_id=Subquery(own.values("message_id")[:1]),
    )


@receiver(mail_failed, dispatch_uid="invitations.mail_failed")
def mark_failed(sender, *, mail: OutgoingMail, permanent: bool, **kwargs) -> None:
    if not permanent:
        return
    Invitation.objects.filter(mail=mail, status=Status.QUEUED).update(
        status=Status.FAILED,
        failed_at=timezone.now(),
        failure_reason=(mail.last_error or "")[:REASON_LENGTH],
    )

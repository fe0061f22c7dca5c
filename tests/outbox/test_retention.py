from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from suppliernet.invitations.models import Invitation
from suppliernet.invitations.models import Status as InvitationStatus
from suppliernet.outbox.models import MailStatus, OutgoingMail
from suppliernet.outbox.retention import prune_finished
from tests.invitations.factories import InvitationFactory
from tests.outbox.factories import OutgoingMailFactory

pytestmark = pytest.mark.django_db


def aged(days: int, status: str) -> OutgoingMail:
    return OutgoingMailFactory(status=status, created_at=timezone.now() - timedelta(days=days))


def test_prune_deletes_only_finished_mail_older_than_the_limit(capsys):
    old_finished = [aged(100, status) for status in ("sent", "failed", "cancelled")]
    old_waiting = [aged(100, MailStatus.QUEUED), aged(100, MailStatus.SENDING)]
    recent = aged(10, MailStatus.SENT)

    call_command("prune_outbox", "--days=90")

    left = set(OutgoingMail.objects.values_list("pk", flat=True))
    assert left == {mail.pk for mail in [*old_waiting, recent]}
    assert not left & {mail.pk for mail in old_finished}
    assert "Deleted 3 finished e-mails older than 90 days" in capsys.readouterr().out


def test_an_invitation_keeps_its_status_when_its_message_is_pruned():
    mail = aged(200, MailStatus.SENT)
    invitation = InvitationFactory(mail=mail, status=InvitationStatus.SENT, message_id="<m@x>")

    call_command("prune_outbox")

    invitation = Invitation.objects.get(pk=invitation.pk)
    assert (invitation.status, invitation.mail, invitation.message_id) == (
        InvitationStatus.SENT,
        None,
        "<m@x>",
    )


def test_prune_refuses_a_limit_below_one_day():
    aged(5, MailStatus.SENT)
    with pytest.raises(SystemExit):
        call_command("prune_outbox", "--days=0")
    assert OutgoingMail.objects.count() == 1


def test_prune_goes_on_batch_after_batch():
    for _ in range(5):
        aged(100, MailStatus.SENT)
    assert prune_finished(older_than=timedelta(days=90), batch_size=2) == 5
    assert not OutgoingMail.objects.exists()

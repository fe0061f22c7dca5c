"""What the worker tells the apps whose mail it delivers (e.g. invitations record the outcome).

Both are sent right after the rows are updated, inside the same transaction: what a receiver
writes commits together with the messages' new status. Keep receivers to quick database work,
one query for all the `mails` rather than one per message. A receiver that fails is logged (its
queries rolled back) and cannot undo the recorded result nor stop the rest of the batch.
"""

from __future__ import annotations

from django.dispatch import Signal

# sender=OutgoingMail, mails=[<OutgoingMail>, …]; the SMTP server accepted them. Sent for a few
# messages at a time (see outbox.delivery): one receiver call per recorded group, not per mail.
mails_sent = Signal()
# sender=OutgoingMail, mail=<OutgoingMail>, permanent=bool; permanent: refused (5xx) or out of
# retries, else it will be tried again at mail.next_attempt_at.
mail_failed = Signal()

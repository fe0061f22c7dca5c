"""What registration tells other apps (e.g. webhooks report accepted invitations).

Sent inside the registration's transaction: a receiver's writes commit or roll back with it.
"""

from __future__ import annotations

from django.dispatch import Signal

# sender=Invitation, invitation_ids=list of the invitations just accepted (in every buyer's
# network) because their supplier company registered.
invitations_accepted = Signal()

from __future__ import annotations

from django.db import models

from suppliernet.audit.models import AuditEntry, Channel
from suppliernet.companies.models import Company, User


def record(
    *,
    company: Company,
    actor: User | None,
    action: str,
    target: models.Model | None = None,
    summary: str = "",
    channel: str = Channel.PAGE,
    ip_address: str | None = None,
) -> AuditEntry:
    return AuditEntry.objects.create(
        company=company,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_type=target._meta.label if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        summary=summary[:500],
        channel=channel,
        ip_address=ip_address,
    )

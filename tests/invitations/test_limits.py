from __future__ import annotations

from datetime import timedelta

import pytest

from suppliernet.invitations.limits import RateLimit
from suppliernet.invitations.models import TokenBucket


@pytest.fixture
def limit():
    return RateLimit("test", capacity=3, period=timedelta(hours=1))


def test_a_subject_gets_its_capacity_then_is_refused(db, limit):
    assert [limit.spend("supplier-1") for _ in range(4)] == [True, True, True, False]
    assert limit.is_exhausted("supplier-1")
    assert limit.spend("supplier-2")  # each subject has its own bucket


def test_tokens_come_back_over_the_period(db, limit):
    for _ in range(3):
        limit.spend("supplier-1")
    TokenBucket.objects.update(
        updated_at=TokenBucket.objects.get().updated_at - timedelta(minutes=20)
    )
    assert limit.spend("supplier-1")  # a third of the period gives one token back
    assert not limit.spend("supplier-1")


def test_the_subject_is_stored_only_as_a_hash(db, limit):
    limit.spend("203.0.113.7")
    assert "203.0.113.7" not in TokenBucket.objects.get().key

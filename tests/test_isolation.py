"""Walks every URL pattern that takes an object ID with company B's objects, as a user of
company A: each must be a 404. A new kind of ID in a URL must be added here, or this fails."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.api.factories import ApiTokenFactory
from tests.documents.factories import DocumentUploadFactory
from tests.factories import SupplierFactory
from tests.imports.factories import SupplierImportFactory
from tests.invitations.factories import InvitationFactory
from tests.outbox.factories import OutgoingMailFactory
from tests.webhooks.factories import WebhookEndpointFactory

# Keyword argument in a URL -> how to make company B's object for it.
FOREIGN_OBJECTS: dict[str, Callable] = {
    "supplier_id": lambda company: SupplierFactory(buyer=company).id,
    "mail_id": lambda company: OutgoingMailFactory(company=company).id,
    "invitation_id": lambda company: InvitationFactory(buyer=company).id,
    "import_id": lambda company: SupplierImportFactory(buyer=company).id,
    "upload_id": lambda company: DocumentUploadFactory(buyer=company).id,
    "token_id": lambda company: ApiTokenFactory(company=company).id,
    "endpoint_id": lambda company: WebhookEndpointFactory(company=company).id,
}
# Patterns whose IDs are not company-owned objects: Django's admin and password tokens.
NOT_TENANT_URLS = {"admin", "password_reset_confirm"}


def patterns(resolver: URLResolver, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            # The API answers tokens, not sessions: tests/api/test_isolation.py walks it.
            if entry.namespace in ("admin", "api"):
                continue
            yield from patterns(entry, prefix + str(entry.pattern))
        else:
            yield prefix + str(entry.pattern), entry


def object_patterns() -> list[URLPattern]:
    found = []
    for _route, pattern in patterns(get_resolver()):
        if pattern.name in NOT_TENANT_URLS or not pattern.pattern.converters:
            continue
        found.append(pattern)
    return found


def test_every_object_url_is_covered():
    unknown = {
        key
        for pattern in object_patterns()
        for key in pattern.pattern.converters
        if key not in FOREIGN_OBJECTS
    }
    assert not unknown, f"add a factory for {unknown} to FOREIGN_OBJECTS"
    assert object_patterns(), "the walk must visit at least one URL"


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_companys_ids_are_404_everywhere(alice_client, company_b, method):
    visited = []
    for pattern in object_patterns():
        kwargs = {key: FOREIGN_OBJECTS[key](company_b) for key in pattern.pattern.converters}
        url = reverse(pattern.name, kwargs=kwargs)
        response = getattr(alice_client, method)(url)
        assert response.status_code in (404, 405), (
            f"{method.upper()} {url} gave {response.status_code}"
        )
        visited.append(pattern.name)
    assert visited

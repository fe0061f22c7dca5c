"""Walks every API operation whose path names an object, with company B's objects and
company A's token: each must be a 404, for reads and writes alike, and change nothing."""

from __future__ import annotations

import re
from collections.abc import Callable

from suppliernet.api.main import api as ninja_api
from tests.api.conftest import assert_problem
from tests.documents.factories import DocumentUploadFactory
from tests.factories import SupplierFactory
from tests.imports.factories import SupplierImportFactory
from tests.invitations.factories import InvitationFactory

# Path parameter -> how to make company B's object for it.
FOREIGN_OBJECTS: dict[str, Callable] = {
    "supplier_id": lambda company: SupplierFactory(buyer=company).id,
    "invitation_id": lambda company: InvitationFactory(buyer=company).id,
    "import_id": lambda company: SupplierImportFactory(buyer=company).id,
    "upload_id": lambda company: DocumentUploadFactory(buyer=company).id,
}
BODIES = {"patch": {"city": "Cali"}, "post": {}}


def object_operations() -> list[tuple[str, str]]:
    schema = ninja_api.get_openapi_schema(path_prefix="")
    return [
        (method, path)
        for path, operations in schema["paths"].items()
        if "{" in path
        for method in operations
    ]


def test_every_object_parameter_is_covered():
    names = {name for _m, path in object_operations() for name in re.findall(r"{(\w+)}", path)}
    assert names and names <= set(FOREIGN_OBJECTS), names - set(FOREIGN_OBJECTS)


def test_another_companys_ids_are_404_on_every_operation(api, company_b):
    visited = []
    for method, path in object_operations():
        url = re.sub(r"{(\w+)}", lambda match: str(FOREIGN_OBJECTS[match[1]](company_b)), path)
        response = getattr(api, method)(url, BODIES.get(method))
        assert_problem(response, 404)
        visited.append(f"{method.upper()} {path}")
    assert len(visited) >= 8, visited

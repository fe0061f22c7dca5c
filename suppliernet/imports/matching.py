"""What a valid row would change in the buyer's stored supplier with that tax ID.

Checking (for the preview) and processing (for the result) ask the same question, one query
per chunk, so that the result counts what really happened even if the network changed in
between. An empty optional cell keeps the stored value; groups are only ever added.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from suppliernet.companies.models import Company
from suppliernet.imports import sql
from suppliernet.imports.rules import TEXT_FIELDS, SupplierRow
from suppliernet.network.models import Supplier, SupplierGroup

_STORED = ("id", "company", "country", "tax_id", "name", *TEXT_FIELDS, "email", "other_emails")


@dataclass(slots=True)
class StoredSupplier:
    id: Any  # ids as the database returns them, ready to be written back
    company_id: Any
    values: dict[str, str]  # name and the optional text fields
    emails: list[str]
    groups: list[str]


def stored_suppliers(
    *, buyer: Company, rows: Sequence[SupplierRow]
) -> dict[tuple[str, str], StoredSupplier]:
    """The buyer's suppliers that these rows name, by (country, tax ID): one query, and one
    more for their groups when the rows name groups. Plain SQL: the ORM's model and UUID
    conversions cost more than the look-up itself."""
    by_country: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        by_country[row.country].add(row.tax_id)
    if not by_country:
        return {}
    col = partial(sql.column, Supplier)
    # Per country, so that the (buyer, country, tax_id) index answers it.
    wanted = " OR ".join(
        f"({col('country')} = %s AND {col('tax_id')} IN ({sql.placeholders(len(ids))}))"
        for ids in by_country.values()
    )
    records = sql.select(
        Supplier,
        "SELECT {} FROM {} WHERE {} = %s AND ({})".format(
            ", ".join(col(name) for name in _STORED), sql.table(Supplier), col("buyer"), wanted
        ),
        [
            sql.prep(Supplier, "buyer", buyer.pk),
            *(value for country, ids in by_country.items() for value in (country, *ids)),
        ],
    )
    found = {}
    for supplier_id, company_id, country, tax_id, *texts, email, more in records:
        more = json.loads(more) if isinstance(more, str) else more  # SQLite: text
        found[(country, tax_id)] = StoredSupplier(
            id=supplier_id,
            company_id=company_id,
            values=dict(zip(("name", *TEXT_FIELDS), texts, strict=True)),
            emails=[email, *more] if email else more,
            groups=[],
        )
    if found and any(row.groups for row in rows):
        _add_group_names(found)
    return found


def _add_group_names(found: dict[tuple[str, str], StoredSupplier]) -> None:
    by_id = {stored.id: stored for stored in found.values()}
    links = Supplier.groups.through
    records = sql.select(
        links,
        "SELECT l.{}, g.{} FROM {} l JOIN {} g ON g.{} = l.{} WHERE l.{} IN ({})".format(
            sql.column(links, "supplier"),
            sql.column(SupplierGroup, "name"),
            sql.table(links),
            sql.table(SupplierGroup),
            sql.column(SupplierGroup, "id"),
            sql.column(links, "suppliergroup"),
            sql.column(links, "supplier"),
            sql.placeholders(len(by_id)),
        ),
        list(by_id),
    )
    for supplier_id, name in records:
        by_id[supplier_id].groups.append(name)
    for stored in by_id.values():
        stored.groups.sort(key=str.casefold)


def changes(row: SupplierRow, stored: StoredSupplier) -> dict[str, list[str]]:
    """{field: [old, new]} for what the row changes; empty when the row changes nothing."""
    found: dict[str, list[str]] = {}
    old = stored.values
    if row.name != old["name"]:
        found["name"] = [old["name"], row.name]
    for key in TEXT_FIELDS:
        value = getattr(row, key)
        if value and value != old[key]:
            found[key] = [old[key], value]
    if row.emails != stored.emails:
        found["emails"] = ["; ".join(stored.emails), "; ".join(row.emails)]
    if row.groups:
        known = {name.casefold() for name in stored.groups}
        added = [name for name in row.groups if name.casefold() not in known]
        if added:
            found["groups"] = ["; ".join(stored.groups), "; ".join([*stored.groups, *added])]
    return found

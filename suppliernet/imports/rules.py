"""The rules one row of a supplier file must follow, and the supplier it describes when it does.

Decisions:
- The tax ID is read for the row's country: the Country column when it has a value, else
  the buyer's country. It is normalized as everywhere else (`normalize_tax_id`), after
  undoing what Excel does to long numbers ("900123456.0"); scientific notation is an error.
- Notify is 1 or 0. Because Excel shows ticked cells as TRUE/FALSE (VERDADERO/FALSO in
  Spanish) and people type yes/no, these words are accepted too, in any case:
  1 = 1, sí, si, yes, true, verdadero; 0 = 0, no, false, falso. Anything else (2, 1.0,
  blank, x) is an error: guessing could send invitations nobody asked for.
- Email: one or more addresses separated by ";" or ","; the first is the primary one.
- Groups: separated by ";" or ","; repeated names count once.
- A cell starting with = + - @ is kept as the text it is: it is never evaluated here, and
  every CSV we write neutralizes it (`neutralize_formula`).
- Messages are built only for rows with errors: valid rows cost no translation look-ups.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext

from suppliernet.companies.taxids import COUNTRIES, InvalidTaxId, tax_id_number
from suppliernet.imports.cells import ScientificNotation, clean_excel_number
from suppliernet.imports.reading import SourceRow
from suppliernet.network.forms import clean_email_list, split_emails
from suppliernet.network.models import Supplier, SupplierGroup

# The optional text columns, stored as they are (stripped) when not empty.
TEXT_FIELDS = ("description", "address", "city", "province", "phone", "fax")
# What `SupplierRow.identity_and_texts` gives, in the order of the tables' columns.
IDENTITY_AND_TEXTS = ("country", "tax_id", "name", *TEXT_FIELDS)
MAX_LENGTHS = {
    name: Supplier._meta.get_field(name).max_length for name in ("name", *TEXT_FIELDS, "email")
}
MAX_GROUP_NAME = SupplierGroup._meta.get_field("name").max_length
NOTIFY_YES = frozenset({"1", "si", "sí", "yes", "true", "verdadero"})
NOTIFY_NO = frozenset({"0", "no", "false", "falso"})
# An error shows this much of the value: enough to find it, not a whole 1 MB cell.
SHOWN_VALUE_CHARS = 100
# The plain ASCII addresses nearly every row has, in a form Django's validate_email accepts
# (its dot-atom local part; its host, domain and letters-only top-level labels, ASCII only):
# one match instead of Django's several. Whatever this does not match is checked by
# `clean_email_list`, which says what is wrong.
_ATOM = r"[-!#$%&'*+/=?^_`{}|~0-9a-z]+"
_PLAIN_EMAIL = re.compile(
    rf"{_ATOM}(?:\.{_ATOM})*@[a-z0-9](?:[a-z0-9-]{{0,61}}[a-z0-9])?"
    r"(?:\.(?!-)[a-z0-9-]{1,63}(?<!-))*\.(?!-)[a-z-]{2,63}(?<!-)",
    re.ASCII | re.IGNORECASE,
)


@dataclass(slots=True)
class RowError:
    column: str  # the canonical column key (suppliernet.imports.columns)
    value: str  # the cell, shortened
    message: str


@dataclass(slots=True)
class SupplierRow:
    """A valid row: what the supplier's record becomes. Empty optional fields keep what the
    buyer has stored already."""

    line: int
    country: str
    tax_id: str  # canonical compact form; empty when it is not valid
    name: str
    emails: list[str]
    notify: bool
    groups: list[str] = field(default_factory=list)
    description: str = ""
    address: str = ""
    city: str = ""
    province: str = ""
    phone: str = ""
    fax: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return self.country, self.tax_id

    def identity_and_texts(self) -> tuple[str, ...]:
        """The values of IDENTITY_AND_TEXTS."""
        return (
            self.country,
            self.tax_id,
            self.name,
            self.description,
            self.address,
            self.city,
            self.province,
            self.phone,
            self.fax,
        )


def check_row(row: SourceRow, *, default_country: str) -> tuple[SupplierRow | None, list[RowError]]:
    """The supplier the row describes, or None and every error the row has (not only the
    first)."""
    values = row.values
    errors: list[RowError] = []
    country, tax_id = _tax_id(values, default_country, errors)
    name = values["name"]
    if not name:
        errors.append(RowError("name", "", gettext("Enter the supplier's name.")))
    else:
        _check_length("name", name, errors)
    texts = {}
    for key in TEXT_FIELDS:
        value = values.get(key, "")
        if value:
            _check_length(key, value, errors)
        texts[key] = value
    emails = _emails(values["email"], errors)
    notify = _notify(values["notify"], errors)
    groups = _groups(values.get("groups", ""), errors)
    return (
        SupplierRow(
            line=row.line,
            country=country,
            tax_id=tax_id,
            name=name,
            emails=emails,
            notify=notify,
            groups=groups,
            **texts,
        ),
        errors,
    )


def shown(value: str) -> str:
    if len(value) <= SHOWN_VALUE_CHARS:
        return value
    return value[: SHOWN_VALUE_CHARS - 1] + "…"


def _tax_id(
    values: dict[str, str], default_country: str, errors: list[RowError]
) -> tuple[str, str]:
    country_cell = values.get("country", "")
    country = country_cell.upper() or default_country
    if country not in COUNTRIES:
        errors.append(
            RowError(
                "country",
                shown(country_cell),
                gettext(
                    "“%(value)s” is not a supported country. Enter the two-letter code of the "
                    "country that issued the tax ID: %(codes)s."
                )
                % {"value": shown(country_cell or country), "codes": ", ".join(COUNTRIES)},
            )
        )
        return country, ""
    raw = values["tax_id"]
    try:
        number = tax_id_number(country, clean_excel_number(raw) or raw)
    except (ScientificNotation, InvalidTaxId) as error:
        errors.append(RowError("tax_id", shown(raw), error.message))
        return country, ""
    return country, number


def _check_length(key: str, value: str, errors: list[RowError]) -> None:
    limit = MAX_LENGTHS[key]
    if len(value) > limit:
        errors.append(
            RowError(
                key,
                shown(value),
                gettext("This text has %(count)s characters; at most %(max)s are allowed.")
                % {"count": number_format(len(value), force_grouping=True), "max": limit},
            )
        )


def _emails(text: str, errors: list[RowError]) -> list[str]:
    if not text:
        errors.append(
            RowError("email", "", gettext("Enter at least one e-mail address of the supplier."))
        )
        return []
    emails = split_emails(text)
    limit = MAX_LENGTHS["email"]
    if (
        emails
        and all(len(address) <= limit and _PLAIN_EMAIL.fullmatch(address) for address in emails)
        and len({address.lower() for address in emails}) == len(emails)
    ):
        return emails
    try:
        emails = clean_email_list(text)
    except ValidationError as error:
        errors.extend(RowError("email", shown(text), message) for message in error.messages)
        return []
    for address in emails:
        if len(address) > limit:
            errors.append(
                RowError(
                    "email",
                    shown(address),
                    gettext("E-mail addresses are limited to %(max)s characters.") % {"max": limit},
                )
            )
    if not emails:  # only separators, e.g. ";"
        errors.append(
            RowError(
                "email", shown(text), gettext("Enter at least one e-mail address of the supplier.")
            )
        )
    return emails


def _notify(text: str, errors: list[RowError]) -> bool:
    word = text.casefold()
    if word in NOTIFY_YES:
        return True
    if word in NOTIFY_NO:
        return False
    if text:
        message = gettext(
            "Notify must be 1 (invite the supplier now) or 0 (not yet), not “%(value)s”."
        ) % {"value": shown(text)}
    else:
        message = gettext("Notify is empty: enter 1 (invite the supplier now) or 0 (not yet).")
    errors.append(RowError("notify", shown(text), message))
    return False


def _groups(text: str, errors: list[RowError]) -> list[str]:
    names: dict[str, str] = {}
    for part in text.replace(";", ",").split(","):
        name = part.strip()
        if not name:
            continue
        if len(name) > MAX_GROUP_NAME:
            errors.append(
                RowError(
                    "groups",
                    shown(name),
                    gettext("Group names are limited to %(max)s characters.")
                    % {"max": MAX_GROUP_NAME},
                )
            )
            continue
        names.setdefault(name.casefold(), name)
    return list(names.values())

"""Validation and normalization of supplier tax IDs (NIT, RUT, RFC, CUIT, ...) per country.

Buyers type tax IDs in any formatting; `normalize_tax_id` turns them into one canonical
compact number (what we store and compare) plus the display form used in that country.
"""

from __future__ import annotations

import operator
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions
from stdnum.ar import cuit as ar_cuit
from stdnum.br import cnpj as br_cnpj
from stdnum.br import cpf as br_cpf
from stdnum.cl import rut as cl_rut
from stdnum.co import nit as co_nit
from stdnum.cr import cpf as cr_cpf
from stdnum.cr import cpj as cr_cpj
from stdnum.do import rnc as do_rnc
from stdnum.ec import ruc as ec_ruc
from stdnum.es import nif as es_nif
from stdnum.gt import nit as gt_nit
from stdnum.mx import rfc as mx_rfc
from stdnum.pe import ruc as pe_ruc
from stdnum.py import ruc as py_ruc
from stdnum.sv import nit as sv_nit
from stdnum.us import ein as us_ein
from stdnum.uy import rut as uy_rut
from stdnum.ve import rif as ve_rif

# The longest valid input (a Colombian NIT of 16 digits, fully punctuated) is about 21
# characters; anything much longer is pasted garbage, not a tax ID.
MAX_INPUT_LENGTH = 40

# Only these are dropped from the input; any other stray character makes it invalid
# instead of being silently ignored.
_SEPARATORS = re.compile(r"[\s.,;:_/\\\-\u2010-\u2015\u2212]+")
_TYPED_CHECK_DIGIT = re.compile(r"-[0-9]$")
_COMPANY_NIT_WITHOUT_CHECK_DIGIT = re.compile(r"[89][0-9]{8}")
# stdnum.co.nit.calc_check_digit's weights, applied from the last digit on.
_CO_NIT_WEIGHTS = (3, 7, 13, 17, 19, 23, 29, 37, 41, 43, 47, 53, 59, 67, 71)


@dataclass(frozen=True)
class TaxId:
    country: str
    number: str
    display: str
    assumed: str = ""


class InvalidTaxId(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CountryTaxId:
    code: str
    name: str | Promise  # country name
    tax_id_name: str  # local name of the tax ID, not translated: "NIT", "RUT", ...
    label: str | Promise  # used in messages: "Colombian NIT"
    example: str  # a valid number in display form
    modules: tuple[ModuleType, ...]  # stdnum modules, tried in order
    lengths: tuple[int, ...] = ()  # allowed compact lengths when stricter than stdnum
    formatter: Callable[[str], str] | None = None  # when stdnum's format() is missing/unusual

    @property
    def module(self) -> ModuleType:
        return self.modules[0]


def _plain(number: str) -> str:
    return number


def _format_ve_rif(number: str) -> str:
    return f"{number[0]}-{number[1:9]}-{number[9:]}"


# fmt: off
COUNTRIES: dict[str, CountryTaxId] = {
    country.code: country
    for country in (
        CountryTaxId("AR", _("Argentina"), "CUIT", _("Argentine CUIT"), "30-71432229-6",
                     (ar_cuit,)),
        CountryTaxId("BR", _("Brazil"), "CNPJ/CPF", _("Brazilian CNPJ/CPF"),
                     "16.727.230/0001-97", (br_cnpj, br_cpf)),
        CountryTaxId("CL", _("Chile"), "RUT", _("Chilean RUT"), "76.086.428-5", (cl_rut,)),
        CountryTaxId("CO", _("Colombia"), "NIT", _("Colombian NIT"), "900.123.456-8",
                     (co_nit,)),
        CountryTaxId("CR", _("Costa Rica"), "Cédula", _("Costa Rican cédula"),
                     "3-101-999999", (cr_cpj, cr_cpf)),
        CountryTaxId("DO", _("Dominican Republic"), "RNC", _("Dominican RNC"), "1-01-85004-3",
                     (do_rnc,)),
        # SRI (Ecuador) and SUNAT (Peru) print the RUC without separators.
        CountryTaxId("EC", _("Ecuador"), "RUC", _("Ecuadorian RUC"), "1792060346001",
                     (ec_ruc,), formatter=_plain),
        CountryTaxId("ES", _("Spain"), "NIF", _("Spanish NIF"), "B64717838", (es_nif,),
                     formatter=_plain),
        CountryTaxId("GT", _("Guatemala"), "NIT", _("Guatemalan NIT"), "576937-K", (gt_nit,)),
        # 10 characters is a person's RFC without homoclave, not enough to invoice. Check
        # digits are not verified: stdnum reports ~1.5% of real RFCs have wrong ones. SAT
        # and CFDI invoices show the RFC without separators.
        CountryTaxId("MX", _("Mexico"), "RFC", _("Mexican RFC"), "MAB9307148T4", (mx_rfc,),
                     lengths=(12, 13), formatter=_plain),
        CountryTaxId("PE", _("Peru"), "RUC", _("Peruvian RUC"), "20512333797", (pe_ruc,),
                     formatter=_plain),
        CountryTaxId("PY", _("Paraguay"), "RUC", _("Paraguayan RUC"), "80028061-0", (py_ruc,)),
        CountryTaxId("SV", _("El Salvador"), "NIT", _("Salvadoran NIT"), "0614-050707-104-8",
                     (sv_nit,)),
        CountryTaxId("US", _("United States"), "EIN", _("US EIN"), "91-1144442", (us_ein,)),
        CountryTaxId("UY", _("Uruguay"), "RUT", _("Uruguayan RUT"), "21-100342-001-7",
                     (uy_rut,)),
        CountryTaxId("VE", _("Venezuela"), "RIF", _("Venezuelan RIF"), "J-30816256-6",
                     (ve_rif,), formatter=_format_ve_rif),
    )
}
# fmt: on


def normalize_tax_id(country: str, raw: str) -> TaxId:
    spec, dashed = _prepare(country, raw)
    if spec.code == "CO":
        return _normalize_co_nit(spec, dashed)
    return _validate(spec, dashed)


def tax_id_number(country: str, raw: str) -> str:
    """`normalize_tax_id(country, raw).number` without the display form and messages that
    only a person reads: an import checks hundreds of thousands. Raises InvalidTaxId alike."""
    spec, dashed = _prepare(country, raw)
    if spec.code != "CO":
        return _validate_number(spec, dashed)[1]
    digits = dashed.replace("-", "")
    # The usual NIT, with its check digit: what stdnum's validate() and _check() accept,
    # decided here without their several passes over the text. Anything else (a company NIT
    # without its check digit, every invalid input) takes the full path and its messages.
    if (
        8 <= len(digits) <= 16
        and digits.isascii()
        and digits.isdigit()
        and (
            _TYPED_CHECK_DIGIT.search(dashed)
            or not _COMPANY_NIT_WITHOUT_CHECK_DIGIT.fullmatch(digits)
        )
        and digits.strip("0")
        and _co_nit_check_digit(digits[:-1]) == digits[-1]
    ):
        return digits
    return _normalize_co_nit(spec, dashed).number


def _co_nit_check_digit(digits: str) -> str:
    """stdnum.co.nit.calc_check_digit, in one pass of C-level maps."""
    total = sum(map(operator.mul, _CO_NIT_WEIGHTS, map(int, reversed(digits))))
    return "01987654321"[total % 11]


def _prepare(country: str, raw: str) -> tuple[CountryTaxId, str]:
    """The country's rules and the input with its separators turned into single dashes."""
    code = str(country or "").strip().upper()
    spec = COUNTRIES.get(code)
    if spec is None:
        if not code:
            raise InvalidTaxId(gettext("Select the country of the tax ID."))
        raise InvalidTaxId(gettext("Tax IDs of %(country)s are not supported.") % {"country": code})
    raw = raw or ""
    # NFKC turns full-width digits and non-breaking spaces (copied from PDFs) into ASCII;
    # ASCII text is its own NFKC form.
    text = (raw if raw.isascii() else unicodedata.normalize("NFKC", raw)).strip().upper()
    if len(text) > MAX_INPUT_LENGTH:
        raise _invalid(spec, exceptions.InvalidLength())
    dashed = _SEPARATORS.sub("-", text).strip("-")
    if not dashed:
        raise InvalidTaxId(
            gettext("Enter the %(tax_id)s (expected format %(example)s).")
            % {"tax_id": spec.label, "example": spec.example}
        )
    return spec, dashed


def format_tax_id(country: str, number: str) -> str:
    spec = COUNTRIES.get(str(country).upper())
    if spec is not None:
        for module in spec.modules:
            try:
                return _format(spec, module, _check(spec, module, number))
            except Exception:  # showing a stored number must never break a page
                continue
    return number


def search_key(raw: str) -> str:
    # "&" is kept because it is part of some Mexican RFCs ("&JE040614N51").
    text = unicodedata.normalize("NFKC", raw or "").upper()
    return "".join(char for char in text if char.isalnum() or char == "&")


def country_choices() -> list[tuple[str, str]]:
    choices = [(spec.code, str(spec.name)) for spec in COUNTRIES.values()]
    return sorted(choices, key=lambda choice: _sort_key(choice[1]))


def _sort_key(text: str) -> str:
    # Sort "Perú" next to "Peru", not after "Z", in translated lists.
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def _normalize_co_nit(spec: CountryTaxId, dashed: str) -> TaxId:
    digits = dashed.replace("-", "")
    # A separate last digit ("89.090.393-8", "900123456 8") is a check digit typed on purpose.
    typed_check_digit = _TYPED_CHECK_DIGIT.search(dashed) is not None
    # Company NITs are 9 digits from 800.000.000 up plus a check digit; person NITs are
    # cédula numbers (at most 8 digits, or 10 for new ones). So 9 digits starting with 8 or
    # 9 are a company NIT whose check digit was left out, even when they also happen to be
    # a valid 8-digit NIT plus check digit (1 in 11). We then name that alternative.
    # Other 9-digit inputs can only be an 8-digit NIT plus check digit and are read as such.
    if typed_check_digit or not _COMPANY_NIT_WITHOUT_CHECK_DIGIT.fullmatch(digits):
        return _validate(spec, dashed)
    check_digit = co_nit.calc_check_digit(digits)
    number = digits + check_digit
    params = {"digit": check_digit, "display": co_nit.format(number)}
    if co_nit.is_valid(digits):
        params["alternative"] = co_nit.format(digits)
        assumed = gettext(
            "Check digit %(digit)s was added: %(display)s (if the last digit you typed was "
            "already the check digit, enter it as %(alternative)s)"
        )
    else:
        assumed = gettext("Check digit %(digit)s was added: %(display)s")
    return TaxId(spec.code, number, params["display"], assumed % params)


def _validate(spec: CountryTaxId, dashed: str) -> TaxId:
    module, number = _validate_number(spec, dashed)
    return TaxId(spec.code, number, _format(spec, module, number))


def _validate_number(spec: CountryTaxId, dashed: str) -> tuple[ModuleType, str]:
    """The stdnum module that accepts the number, and the number in compact form."""
    errors: list[exceptions.ValidationError] = []
    for module in spec.modules:
        try:
            # Each module's compact() runs on the dashed form because Costa Rica's cédula
            # física pads its dash-separated groups with zeros ("1-613-584").
            return module, _check(spec, module, module.compact(dashed).replace("-", ""))
        except exceptions.ValidationError as error:
            errors.append(error)
    # With several kinds (CNPJ or CPF) the kind whose length fits tells what is wrong.
    error = next((e for e in errors if not isinstance(e, exceptions.InvalidLength)), errors[0])
    raise _invalid(spec, error)


def _check(spec: CountryTaxId, module: ModuleType, value: str) -> str:
    number = module.validate(value)
    if spec.lengths and len(number) not in spec.lengths:
        raise exceptions.InvalidLength()
    if not number.strip("0"):  # stdnum accepts "0" as a Paraguayan RUC
        raise exceptions.InvalidFormat()
    return number


def _format(spec: CountryTaxId, module: ModuleType, number: str) -> str:
    formatter = spec.formatter or getattr(module, "format", _plain)
    return formatter(number)


def _invalid(spec: CountryTaxId, error: exceptions.ValidationError) -> InvalidTaxId:
    if isinstance(error, exceptions.InvalidChecksum):
        message = gettext(
            "Not a valid %(tax_id)s: the check digit does not match (expected format %(example)s)."
        )
    elif isinstance(error, exceptions.InvalidLength):
        message = gettext("Not a valid %(tax_id)s: wrong length (expected format %(example)s).")
    else:
        message = gettext("Not a valid %(tax_id)s (expected format %(example)s).")
    return InvalidTaxId(message % {"tax_id": spec.label, "example": spec.example})

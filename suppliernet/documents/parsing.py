"""Reading one received electronic document into the facts SupplierNet keeps about it.

Pure (no database). Formats: UBL 2.1 Invoice, CreditNote and DebitNote as Colombia's DIAN and
Peru's SUNAT use them, DIAN's AttachedDocument container, Mexico's CFDI 4.0 and Chile's DTE
(alone or several in an EnvioDTE). Every XML, the one inside an AttachedDocument too, is read
by defusedxml with DTDs forbidden: e-invoices never need one, and a DTD is where external
entities (XXE) and entity-expansion bombs live.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from xml.etree.ElementTree import Element, ParseError
from xml.parsers.expat import ErrorString

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext

from suppliernet.companies.taxids import InvalidTaxId, format_tax_id, normalize_tax_id, search_key
from suppliernet.documents.kinds import FORMAT_COUNTRY, DocType, Format

UBL = "urn:oasis:names:specification:ubl:schema:xsd:"
SII = "http://www.sii.cl/SiiDte"
NS = {
    "cac": f"{UBL}CommonAggregateComponents-2",
    "cbc": f"{UBL}CommonBasicComponents-2",
    "cfdi": "http://www.sat.gob.mx/cfd/4",
    "tfd": "http://www.sat.gob.mx/TimbreFiscalDigital",
    "sii": SII,
}
UBL_ROOTS = {
    f"{{{UBL}Invoice-2}}Invoice": DocType.INVOICE,
    f"{{{UBL}CreditNote-2}}CreditNote": DocType.CREDIT_NOTE,
    f"{{{UBL}DebitNote-2}}DebitNote": DocType.DEBIT_NOTE,
}
ATTACHED_DOCUMENT = f"{{{UBL}AttachedDocument-2}}AttachedDocument"
CFDI_ROOT = f"{{{NS['cfdi']}}}Comprobante"
DTE_ROOT = f"{{{SII}}}DTE"
ENVIO_DTE_ROOT = f"{{{SII}}}EnvioDTE"

# CFDI's TipoDeComprobante: I(ngreso) is an invoice, E(greso) a credit note; T(raslado),
# N(ómina) and P(ago) are not documents a supplier bills with.
CFDI_TYPES = {"I": DocType.INVOICE, "E": DocType.CREDIT_NOTE}
# SII's TipoDTE: facturas (33, 34 exenta, 43 liquidación, 110 exportación), notas de débito
# (56, 111) and de crédito (61, 112). Boletas (39, 41), guías (52) and facturas de compra (46,
# issued by the buyer itself) do not tell who the buyer's suppliers are.
DTE_TYPES = {
    "33": DocType.INVOICE,
    "34": DocType.INVOICE,
    "43": DocType.INVOICE,
    "110": DocType.INVOICE,
    "56": DocType.DEBIT_NOTE,
    "111": DocType.DEBIT_NOTE,
    "61": DocType.CREDIT_NOTE,
    "112": DocType.CREDIT_NOTE,
}
DTE_BODIES = {"Documento", "Exportaciones", "Liquidacion"}
DTE_CURRENCIES = {"PESO CL": "CLP", "DOLAR USA": "USD", "EURO": "EUR"}

# A 5 MB invoice has well under 200,000 tags; past this the file is built to exhaust the
# parser, not to bill anyone.
MAX_TAGS = 500_000
MAX_DECIMALS = 6  # CFDI amounts have up to 6 decimals; UBL and DTE fewer
MAX_AMOUNT = Decimal(10) ** 18
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


class Unreadable(Exception):
    """The file is not a document we can take: `message` says why, for the person."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Party:
    country: str
    tax_id: str  # canonical (python-stdnum) when valid; the receiver's as found otherwise
    tax_id_raw: str
    name: str = ""
    email: str = ""
    address: str = ""
    city: str = ""

    @property
    def tax_id_display(self) -> str:
        return f"{self.country} {format_tax_id(self.country, self.tax_id)}"


@dataclass(frozen=True)
class ParsedDocument:
    format: str
    doc_type: str
    type_code: str  # the country's own document type: DIAN/SUNAT "01", CFDI "I", DTE "33"
    number: str
    issue_date: date
    total: Decimal
    currency: str
    issuer: Party
    receiver: Party

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        """What makes two copies the same document: issuer, type and number."""
        return (self.issuer.country, self.issuer.tax_id, self.doc_type, self.type_code, self.number)

    def describe(self) -> str:
        return gettext("%(type)s %(number)s of %(date)s") % {
            "type": DocType(self.doc_type).label,
            "number": self.number,
            "date": self.issue_date.isoformat(),
        }


def parse_document(data: bytes) -> list[ParsedDocument]:
    """The documents in one XML file (several only for a Chilean EnvioDTE). Raises Unreadable."""
    root = read_xml(data)
    if root.tag in UBL_ROOTS:
        return [_read_ubl(root, UBL_ROOTS[root.tag])]
    if root.tag == ATTACHED_DOCUMENT:
        return [_read_attached(root)]
    if root.tag == CFDI_ROOT:
        return [_read_cfdi(root)]
    if root.tag == DTE_ROOT:
        return [_read_dte(root)]
    if root.tag == ENVIO_DTE_ROOT:
        return _read_envio_dte(root)
    raise Unreadable(
        gettext("Not an electronic invoice we can read (found root <%(root)s>).")
        % {"root": _describe_tag(root.tag)}
    )


def read_xml(data: bytes) -> Element:
    """The root element, read safely; Unreadable names the line and column of a syntax error."""
    # Elements cost memory whether nested or side by side, and each needs a "<": this bounds
    # both before the parser starts (250,000 nested elements take about 80 MB).
    if data.count(b"<") > MAX_TAGS:
        raise Unreadable(
            gettext("The XML has more than %(count)s tags; no invoice is that large.")
            % {"count": f"{MAX_TAGS:,}"}
        )
    try:
        return SafeET.fromstring(data, forbid_dtd=True)
    except ParseError as error:
        line, column = error.position
        raise Unreadable(
            gettext("Malformed XML at line %(line)s, column %(column)s: %(problem)s.")
            % {"line": line, "column": column, "problem": ErrorString(error.code)}
        ) from None
    except DefusedXmlException:
        # With DTDs forbidden this is the DTD itself, before any entity in it is declared.
        raise Unreadable(
            gettext(
                "Refused for safety: the XML declares a DTD or entities, which can read "
                "local files or expand without end. Electronic invoices never need them."
            )
        ) from None


def _describe_tag(tag: str) -> str:
    namespace, _, local = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
    return f'{local} xmlns="{namespace}"' if namespace else local


def _text(element: Element | None, path: str) -> str:
    found = element.find(path, NS) if element is not None else None
    return (found.text or "").strip() if found is not None else ""


def _missing(what: str, path: str) -> Unreadable:
    return Unreadable(gettext("%(what)s is missing (%(path)s).") % {"what": what, "path": path})


def _required(element: Element | None, path: str, what: str) -> str:
    value = _text(element, path)
    if not value:
        raise _missing(what, path)
    return value


def _date(value: str, what: str) -> date:
    try:
        return date.fromisoformat(value.strip()[:10])  # CFDI's Fecha carries the time too
    except ValueError:
        raise Unreadable(
            gettext("%(what)s is not a date: “%(value)s”.") % {"what": what, "value": value}
        ) from None


def _amount(value: str, what: str) -> Decimal:
    try:
        amount = Decimal(value.strip())
    except InvalidOperation:
        amount = Decimal("NaN")
    if (
        not amount.is_finite()
        or -amount.as_tuple().exponent > MAX_DECIMALS  # type: ignore[operator]
        or abs(amount) >= MAX_AMOUNT
    ):
        raise Unreadable(
            gettext("%(what)s is not an amount: “%(value)s”.") % {"what": what, "value": value}
        )
    return amount


def _email(value: str) -> str:
    """The first valid address in the field (some issuers list several), or none."""
    for candidate in re.split(r"[;,\s]+", value):
        try:
            validate_email(candidate)
        except ValidationError:
            continue
        return candidate[:254]
    return ""


def _issuer(
    country: str, raw: str, *, name: str, email: str = "", address: str = "", city: str = ""
) -> Party:
    try:
        tax_id = normalize_tax_id(country, raw)
    except InvalidTaxId as error:
        raise Unreadable(
            gettext("The issuer's tax ID “%(value)s” is not valid: %(error)s")
            % {"value": raw, "error": error.message}
        ) from None
    # Cut to what a supplier keeps (network.Supplier's field lengths).
    return Party(
        country=country,
        tax_id=tax_id.number,
        tax_id_raw=raw,
        name=name[:200],
        email=email,
        address=address[:300],
        city=city[:100],
    )


def _receiver(country: str, raw: str) -> Party:
    # Not necessarily one of ours (a foreign buyer, Mexico's generic RFC): kept as found so
    # that a wrong-receiver rejection can name it.
    try:
        number = normalize_tax_id(country, raw).number
    except InvalidTaxId:
        number = search_key(raw)
    return Party(country=country, tax_id=number, tax_id_raw=raw)


# UBL (DIAN, SUNAT)


def _read_ubl(root: Element, doc_type: DocType) -> ParsedDocument:
    supplier_path = "cac:AccountingSupplierParty/cac:Party"
    supplier = root.find(supplier_path, NS)
    customer = root.find("cac:AccountingCustomerParty/cac:Party", NS)
    if supplier is None:
        raise _missing(gettext("The issuer"), supplier_path)
    document_format = _ubl_format(root, supplier)
    country = FORMAT_COUNTRY[document_format]
    monetary = "RequestedMonetaryTotal" if doc_type == DocType.DEBIT_NOTE else "LegalMonetaryTotal"
    total_path = f"cac:{monetary}/cbc:PayableAmount"
    type_tag = {"invoice": "Invoice", "credit_note": "CreditNote", "debit_note": "DebitNote"}
    address, city = _ubl_address(supplier)
    receiver_id = _ubl_tax_id(customer, country) if customer is not None else ""
    if not receiver_id:
        raise _missing(gettext("The receiver's tax ID"), "cac:AccountingCustomerParty")
    payable = root.find(total_path, NS)
    return ParsedDocument(
        format=document_format,
        doc_type=doc_type,
        type_code=_text(root, f"cbc:{type_tag[doc_type]}TypeCode")[:8],
        number=_required(root, "cbc:ID", gettext("The document number"))[:64],
        issue_date=_date(_required(root, "cbc:IssueDate", gettext("The issue date")), "IssueDate"),
        total=_amount(_required(root, total_path, gettext("The total")), "PayableAmount"),
        currency=(
            _text(root, "cbc:DocumentCurrencyCode")
            or (payable.get("currencyID", "") if payable is not None else "")
        )[:3].upper(),
        issuer=_issuer(
            country,
            _ubl_tax_id(supplier, country)
            or _required(
                supplier, "cac:PartyTaxScheme/cbc:CompanyID", gettext("The issuer's tax ID")
            ),
            name=_first(
                supplier,
                "cac:PartyTaxScheme/cbc:RegistrationName",
                "cac:PartyLegalEntity/cbc:RegistrationName",
                "cac:PartyName/cbc:Name",
            ),
            email=_email(_text(supplier, "cac:Contact/cbc:ElectronicMail")),
            address=address,
            city=city,
        ),
        receiver=_receiver(country, receiver_id),
    )


def _first(element: Element, *paths: str) -> str:
    return next((value for path in paths if (value := _text(element, path))), "")


def _party_ids(party: Element) -> list[Element]:
    return [
        *party.findall("cac:PartyTaxScheme/cbc:CompanyID", NS),
        *party.findall("cac:PartyLegalEntity/cbc:CompanyID", NS),
        *party.findall("cac:PartyIdentification/cbc:ID", NS),
    ]


def _ubl_format(root: Element, supplier: Element) -> Format:
    ids = _party_ids(supplier)
    # DIAN: schemeName 31 is a NIT and agency 195 is DIAN itself. SUNAT: schemeID 6 is a RUC
    # (catalogue 06). A DIAN NIT whose check digit is 6 has schemeID 6 too, so DIAN goes first.
    if "DIAN" in _text(root, "cbc:ProfileID").upper() or any(
        el.get("schemeName") == "31" or el.get("schemeAgencyID") == "195" for el in ids
    ):
        return Format.DIAN
    if any(
        el.get("schemeID") == "6" or "SUNAT" in el.get("schemeAgencyName", "").upper() for el in ids
    ):
        return Format.SUNAT
    raise Unreadable(
        gettext(
            "A UBL document, but not as DIAN (Colombia) or SUNAT (Peru) issue them: the issuer "
            "has no NIT (schemeName 31) or RUC (schemeID 6)."
        )
    )


def _ubl_tax_id(party: Element, country: str) -> str:
    """The party's tax ID as its country writes it; for a DIAN NIT with its check digit."""
    ids = [el for el in _party_ids(party) if (el.text or "").strip()]
    for el in ids:
        number = (el.text or "").strip()
        if country == "CO" and el.get("schemeName") == "31":
            check_digit = el.get("schemeID", "")  # DIAN puts the NIT's DV in schemeID
            return f"{number}-{check_digit}" if re.fullmatch(r"[0-9]", check_digit) else number
        if country == "PE" and el.get("schemeID") == "6":
            return number
    return (ids[0].text or "").strip() if ids else ""


def _ubl_address(party: Element) -> tuple[str, str]:
    for path in (
        "cac:PhysicalLocation/cac:Address",
        "cac:PartyTaxScheme/cac:RegistrationAddress",
        "cac:PartyLegalEntity/cac:RegistrationAddress",
        "cac:PostalAddress",
    ):
        address = party.find(path, NS)
        if address is None:
            continue
        lines = [
            (line.text or "").strip() for line in address.findall("cac:AddressLine/cbc:Line", NS)
        ]
        street = " ".join(line for line in lines if line) or _text(address, "cbc:StreetName")
        city = _text(address, "cbc:CityName")
        if street or city:
            return street, city
    return "", ""


def _read_attached(root: Element) -> ParsedDocument:
    """DIAN's AttachedDocument: the invoice travels as text (CDATA) in its first attachment."""
    path = "cac:Attachment/cac:ExternalReference/cbc:Description"
    text = _required(root, path, gettext("The attached invoice"))
    # The inner declaration may name an encoding the text (already decoded) no longer has.
    inner = read_xml(_XML_DECLARATION.sub("", text, count=1).encode("utf-8"))
    if inner.tag not in UBL_ROOTS:
        raise Unreadable(
            gettext("The AttachedDocument carries <%(root)s>, not an invoice or note.")
            % {"root": _describe_tag(inner.tag)}
        )
    return _read_ubl(inner, UBL_ROOTS[inner.tag])


# CFDI 4.0 (Mexico)


def _read_cfdi(root: Element) -> ParsedDocument:
    kind = root.get("TipoDeComprobante", "")
    if kind not in CFDI_TYPES:
        raise Unreadable(
            gettext("A CFDI of type “%(type)s” is not an invoice (I) or a credit note (E).")
            % {"type": kind}
        )
    issuer = root.find("cfdi:Emisor", NS)
    receiver = root.find("cfdi:Receptor", NS)
    if issuer is None or not issuer.get("Rfc"):
        raise _missing(gettext("The issuer's tax ID"), "cfdi:Emisor/@Rfc")
    if receiver is None or not receiver.get("Rfc"):
        raise _missing(gettext("The receiver's tax ID"), "cfdi:Receptor/@Rfc")
    serie_folio = "-".join(part for part in (root.get("Serie"), root.get("Folio")) if part)
    stamp = root.find("cfdi:Complemento/tfd:TimbreFiscalDigital", NS)
    number = serie_folio or (stamp.get("UUID", "") if stamp is not None else "")
    if not number:
        raise _missing(gettext("The document number"), "Serie/Folio")
    return ParsedDocument(
        format=Format.CFDI,
        doc_type=CFDI_TYPES[kind],
        type_code=kind,
        number=number[:64],
        issue_date=_date(root.get("Fecha", ""), "Fecha"),
        total=_amount(root.get("Total", ""), "Total"),
        currency=root.get("Moneda", "MXN")[:3].upper(),
        issuer=_issuer("MX", issuer.get("Rfc", ""), name=issuer.get("Nombre", "")),
        receiver=_receiver("MX", receiver.get("Rfc", "")),
    )


# DTE (Chile)


def _read_envio_dte(root: Element) -> list[ParsedDocument]:
    documents = root.findall("sii:SetDTE/sii:DTE", NS)
    if not documents:
        raise _missing(gettext("The documents"), "SetDTE/DTE")
    parsed = []
    for position, dte in enumerate(documents, start=1):
        try:
            parsed.append(_read_dte(dte))
        except Unreadable as error:
            raise Unreadable(
                gettext("DTE #%(position)s: %(error)s")
                % {"position": position, "error": error.message}
            ) from None
    return parsed


def _read_dte(dte: Element) -> ParsedDocument:
    document = next((child for child in dte if child.tag.rpartition("}")[2] in DTE_BODIES), None)
    header = document.find("sii:Encabezado", NS) if document is not None else None
    if header is None:
        raise _missing(gettext("The document header"), "DTE/Documento/Encabezado")
    kind = _required(header, "sii:IdDoc/sii:TipoDTE", gettext("The document type"))
    if kind not in DTE_TYPES:
        raise Unreadable(
            gettext("A DTE of type %(type)s is not an invoice, credit note or debit note.")
            % {"type": kind}
        )
    issuer = header.find("sii:Emisor", NS)
    currency = _text(header, "sii:Totales/sii:TpoMoneda")
    return ParsedDocument(
        format=Format.DTE,
        doc_type=DTE_TYPES[kind],
        type_code=kind,
        number=_required(header, "sii:IdDoc/sii:Folio", gettext("The document number"))[:64],
        issue_date=_date(
            _required(header, "sii:IdDoc/sii:FchEmis", gettext("The issue date")), "FchEmis"
        ),
        total=_amount(
            _required(header, "sii:Totales/sii:MntTotal", gettext("The total")), "MntTotal"
        ),
        currency=DTE_CURRENCIES.get(currency.upper(), "") if currency else "CLP",
        issuer=_issuer(
            "CL",
            _required(header, "sii:Emisor/sii:RUTEmisor", gettext("The issuer's tax ID")),
            name=_first(issuer, "sii:RznSoc", "sii:RznSocEmisor"),  # type: ignore[arg-type]
            email=_email(_text(issuer, "sii:CorreoEmisor")),
            address=_text(issuer, "sii:DirOrigen"),
            city=_first(issuer, "sii:CmnaOrigen", "sii:CiudadOrigen"),  # type: ignore[arg-type]
        ),
        receiver=_receiver(
            "CL", _required(header, "sii:Receptor/sii:RUTRecep", gettext("The receiver's tax ID"))
        ),
    )

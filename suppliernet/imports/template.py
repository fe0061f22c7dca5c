"""The downloadable "Bulk Add Suppliers" template, as CSV or XLSX, in English or Spanish."""

from __future__ import annotations

import codecs
import csv
import io

from stdnum.co import nit

from suppliernet.imports.columns import COLUMNS, LANGUAGES, column_letter

# Typed into Excel, these turn into numbers and lose leading zeros, "+" or digits.
_TEXT_COLUMNS = ("tax_id", "phone", "fax")
_EXAMPLE_NIT_BASE = "900123456"

_EXAMPLE = {
    "en": {
        "name": "Andean Supplies S.A.S.",
        "description": "Office supplies",
        "address": "Calle 93 # 11-26, Oficina 402",
        "groups": "Stationery;Local",
        "email": "billing@example.com;sales@example.com",
    },
    "es": {
        "name": "Suministros Andinos S.A.S.",
        "description": "Papelería y útiles de oficina",
        "address": "Calle 93 # 11-26, Oficina 402",
        "groups": "Papelería;Nacionales",
        "email": "facturacion@example.com;ventas@example.com",
    },
}
_EXAMPLE_COMMON = {
    "city": "Bogotá",
    "province": "Cundinamarca",
    "phone": "601 555 0100",
    "fax": "",
    "notify": "1",
    "country": "CO",
}

_SHEET_TITLES = {"en": ("Suppliers", "Instructions"), "es": ("Proveedores", "Instrucciones")}

_HELP = {
    "en": {
        "tax_id": "The supplier's tax ID (NIT, RUT, RFC, RUC, CUIT...), with or without dots "
        "and dashes. Keep this column formatted as Text so that Excel does not turn it into a "
        "number.",
        "name": "The supplier's legal name.",
        "description": "What the supplier provides.",
        "address": "Street address.",
        "city": "City.",
        "province": "Province, department, region or state.",
        "phone": "Phone number.",
        "fax": "Fax number.",
        "email": "Email address for the invitation and e-invoicing. Separate several "
        "addresses with ';' (for example: billing@example.com;sales@example.com); the first "
        "one is the primary address.",
        "groups": "Groups to add the supplier to, separated by ';' (for example: "
        "Stationery;Local).",
        "notify": "1 = invite the supplier now (an invitation email is sent); 0 = not yet.",
        "country": "Two-letter code of the country that issued the tax ID (CO, MX, PE, CL, "
        "EC, AR...).",
    },
    "es": {
        "tax_id": "Identificación tributaria del proveedor (NIT, RUT, RFC, RUC, CUIT...), con "
        "o sin puntos y guiones. Mantenga esta columna con formato Texto para que Excel no la "
        "convierta en número.",
        "name": "Nombre o razón social del proveedor.",
        "description": "Qué ofrece el proveedor.",
        "address": "Dirección.",
        "city": "Ciudad.",
        "province": "Provincia, departamento, región o estado.",
        "phone": "Número de teléfono.",
        "fax": "Número de fax.",
        "email": "Correo electrónico para la invitación y la facturación electrónica. Separe "
        "varios correos con ';' (por ejemplo: facturacion@example.com;ventas@example.com); el "
        "primero es el correo principal.",
        "groups": "Grupos a los que se agrega el proveedor, separados por ';' (por ejemplo: "
        "Papelería;Nacionales).",
        "notify": "1 = invitar al proveedor ahora (se envía un correo de invitación); "
        "0 = todavía no.",
        "country": "Código de dos letras del país que emitió la identificación tributaria "
        "(CO, MX, PE, CL, EC, AR...).",
    },
}

_TEXTS = {
    "en": {
        "column": "Column",
        "mandatory": "Mandatory",
        "help": "What to enter",
        "yes": "Yes",
        "no": "No",
        "notes": (
            "Fill in one row per supplier on the first sheet, from row 2 on. Replace the "
            "example row.",
            "Keep the header row. Columns marked * are mandatory; the others may be left "
            "empty or removed.",
            "Save the file as Excel Workbook (.xlsx) or CSV UTF-8 and upload it.",
        ),
    },
    "es": {
        "column": "Columna",
        "mandatory": "Obligatoria",
        "help": "Qué escribir",
        "yes": "Sí",
        "no": "No",
        "notes": (
            "Escriba un proveedor por fila en la primera hoja, desde la fila 2. Reemplace la "
            "fila de ejemplo.",
            "Conserve la fila de encabezados. Las columnas marcadas con * son obligatorias; "
            "las demás pueden quedar vacías o eliminarse.",
            "Guarde el archivo como Libro de Excel (.xlsx) o CSV UTF-8 y súbalo.",
        ),
    },
}


def example_tax_id() -> str:
    """A valid Colombian company NIT, formatted as people write it: 900.123.456-8."""
    return nit.format(_EXAMPLE_NIT_BASE + nit.calc_check_digit(_EXAMPLE_NIT_BASE))


def header_labels(lang: str) -> list[str]:
    _check_language(lang)
    return [column.label(lang) for column in COLUMNS]


def example_row(lang: str) -> list[str]:
    _check_language(lang)
    values = {"tax_id": example_tax_id(), **_EXAMPLE_COMMON, **_EXAMPLE[lang]}
    return [values[column.key] for column in COLUMNS]


def write_template_csv(lang: str) -> bytes:
    """UTF-8 with BOM (so Excel shows accents right), comma-separated, CRLF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header_labels(lang))
    writer.writerow(example_row(lang))
    return codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8")


def write_template_xlsx(lang: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    labels = header_labels(lang)
    data_title, help_title = _SHEET_TITLES[lang]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = data_title
    sheet.append(labels)
    example = example_row(lang)
    sheet.append(
        [
            int(value) if column.key == "notify" else value
            for column, value in zip(COLUMNS, example, strict=True)
        ]
    )
    bold = Font(bold=True)
    for cell in sheet[1]:
        cell.font = bold
    sheet.freeze_panes = "A2"
    for index, column in enumerate(COLUMNS):
        letter = column_letter(index)
        dimension = sheet.column_dimensions[letter]
        dimension.width = max(14, len(labels[index]) + 4)
        if column.key in _TEXT_COLUMNS:
            # The column style makes cells typed later text too, not only the example.
            dimension.number_format = "@"
            sheet[f"{letter}2"].number_format = "@"
        if column.key == "notify":
            validation = DataValidation(type="list", formula1='"1,0"', allow_blank=False)
            validation.add(f"{letter}2:{letter}1048576")
            sheet.add_data_validation(validation)

    texts = _TEXTS[lang]
    help_sheet = workbook.create_sheet(help_title)
    help_sheet.append([texts["column"], texts["mandatory"], texts["help"]])
    for cell in help_sheet[1]:
        cell.font = bold
    for column in COLUMNS:
        help_sheet.append(
            [
                column.label(lang),
                texts["yes"] if column.mandatory else texts["no"],
                _HELP[lang][column.key],
            ]
        )
    help_sheet.append([])
    for note in texts["notes"]:
        help_sheet.append([note])
    help_sheet.column_dimensions["A"].width = 30
    help_sheet.column_dimensions["B"].width = 14
    help_sheet.column_dimensions["C"].width = 90
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in help_sheet.iter_rows(min_row=2, max_row=len(COLUMNS) + 1, min_col=3, max_col=3):
        for cell in row:
            cell.alignment = wrap

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _check_language(lang: str) -> None:
    if lang not in LANGUAGES:
        raise ValueError(f"Unknown template language {lang!r}; expected one of {LANGUAGES}")

"""The product as a new user meets it: each test one journey in headless Chromium against a live
server, its worker and a real SMTP server (see conftest.py)."""

from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from tests.browser.screenshots import screenshot

pytestmark = pytest.mark.browser

SUPPLIERS = """
import json
from suppliernet.network.models import Supplier
from suppliernet.companies.taxids import format_tax_id
rows = Supplier.objects.filter(buyer__tax_id="9001234568").select_related("company").order_by("id")
print(json.dumps([
    {"tax_id": s.tax_id, "display": format_tax_id(s.country, s.tax_id), "name": s.name,
     "registered": s.company.registered_at is not None}
    for s in rows
]))
"""


@pytest.fixture(scope="package")
def demo_suppliers(live_site) -> list[dict]:
    """The Colombian buyer's seeded suppliers, in a stable order; each journey takes its own."""
    return live_site.python(SUPPLIERS)


def pick(suppliers: list[dict], *, registered: bool, index: int) -> dict:
    return [s for s in suppliers if s["registered"] is registered][index]


def supplier_row(page, supplier: dict):
    return page.get_by_role("row").filter(has_text=supplier["display"])


def field(scope, label: str):
    """The input labelled exactly `label` (a required one's label also shows a hidden "*")."""
    return scope.get_by_label(re.compile(rf"^{re.escape(label)}( \*)?$"))


def filter_by_tax_id(page, display: str, *, label: str = "Tax ID", button: str = "Filter") -> None:
    page.get_by_role("search").get_by_label(label).fill(display)
    page.get_by_role("search").get_by_role("button", name=button).click()


@pytest.mark.parametrize(
    ("language", "words"),
    [
        (
            "en",
            {
                "Suppliers": "Suppliers",
                "Tax ID": "Tax ID",
                "Filter": "Filter",
                "Registered": "Registered",
                "Invite": "Invite",
                "Network": "Main",
            },
        ),
        (
            "es",
            {
                "Suppliers": "Proveedores",
                "Tax ID": "Identificación tributaria",
                "Filter": "Filtrar",
                "Registered": "Registrado",
                "Invite": "Invitar",
                "Network": "Principal",
            },
        ),
    ],
)
def test_buyer_filters_suppliers_by_a_formatted_nit(buyer_page, demo_suppliers, language, words):
    page = buyer_page
    if language == "es":
        page.get_by_label("Language").select_option("es")
        expect(page.locator("html")).to_have_attribute("lang", "es")
    page.get_by_role("navigation", name=words["Network"]).get_by_role(
        "link", name=words["Suppliers"]
    ).click()
    expect(page.get_by_role("heading", name=words["Suppliers"])).to_be_visible()
    # With JS the language list submits itself: its no-JS button is hidden (it once showed).
    expect(page.locator("#language-switch ~ button")).to_be_hidden()
    if language == "en":
        screenshot(page, "suppliers-list")

    registered = pick(demo_suppliers, registered=True, index=0)
    filter_by_tax_id(page, registered["display"], label=words["Tax ID"], button=words["Filter"])
    row = supplier_row(page, registered)
    expect(page.get_by_role("row")).to_have_count(2)  # the header and this supplier
    expect(row.get_by_text(words["Registered"], exact=True)).to_be_visible()
    expect(row.get_by_role("link", name=words["Invite"])).to_have_count(0)

    unregistered = pick(demo_suppliers, registered=False, index=0)
    filter_by_tax_id(page, unregistered["display"], label=words["Tax ID"], button=words["Filter"])
    row = supplier_row(page, unregistered)
    expect(row.get_by_role("link", name=words["Invite"])).to_be_visible()
    expect(row.get_by_text(words["Registered"], exact=True)).to_have_count(0)


def open_invite_dialog(page, supplier: dict):
    filter_by_tax_id(page, supplier["display"])
    supplier_row(page, supplier).get_by_role("link", name="Invite").click()
    dialog = page.get_by_role("dialog", name=f"Invite {supplier['name']}")
    expect(dialog).to_be_visible()
    return dialog


def test_individual_invite_to_two_addresses_sends_two_emails(buyer_page, live_site, demo_suppliers):
    page = buyer_page
    supplier = pick(demo_suppliers, registered=False, index=1)
    page.goto("/network/suppliers/")
    dialog = open_invite_dialog(page, supplier)
    addresses = ["ventas@two-addresses.example", "facturas@two-addresses.example"]
    dialog.get_by_label("E-mail addresses").fill(", ".join(addresses))
    screenshot(page, "invite-dialog")
    dialog.get_by_role("button", name="Send").click()

    expect(page.get_by_role("status")).to_contain_text(
        f"The invitations to {', '.join(addresses)} are on their way."
    )
    for address in addresses:
        [message] = live_site.wait_for_mail(1, to=address)
        assert supplier["name"] in message.get_body(("plain",)).get_content()


def test_add_supplier_then_send_its_invitation(buyer_page, live_site):
    page = buyer_page
    page.goto("/network/suppliers/")
    page.get_by_role("link", name="Add Supplier", exact=True).click()
    page.get_by_label("Country").select_option("CO")
    field(page, "Tax ID").fill("799.123.456-2")
    field(page, "Name").fill("Papelería Nueva S.A.S.")
    page.get_by_label("E-mail").fill("contacto@papeleria-nueva.example")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("heading", name="Send the invitation")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Supplier Papelería Nueva S.A.S. added.")
    expect(page.get_by_label("E-mail addresses")).to_have_value("contacto@papeleria-nueva.example")
    page.get_by_role("button", name="Send").click()

    expect(page.get_by_role("status")).to_contain_text(
        "The invitation to contacto@papeleria-nueva.example is on its way."
    )
    [message] = live_site.wait_for_mail(1, to="contacto@papeleria-nueva.example")
    assert "Almacenes Andinos" in message["Subject"]


def test_invite_selected_with_all_matching_reports_what_it_skipped(
    buyer_page, live_site, demo_suppliers
):
    page = buyer_page
    trade = "Transportes"
    matching = [s for s in demo_suppliers if s["name"].startswith(trade)]
    registered = sum(s["registered"] for s in matching)
    assert len(matching) > 3 and registered, "the demo data has this mix"
    page.goto("/network/suppliers/")
    page.get_by_role("search").get_by_label("Name").fill(trade)
    page.get_by_role("search").get_by_role("button", name="Filter").click()
    expect(page.get_by_test_id("counts")).to_contain_text(f"{len(matching)} suppliers")

    for supplier in matching[:3]:
        page.get_by_role("checkbox", name=f"Select {supplier['name']}").first.check()
    page.get_by_role("checkbox", name=f"All {len(matching)} suppliers matching this filter").check()
    page.get_by_role("button", name="Invite Selected").click()

    report = page.get_by_role("status")
    expect(report).to_contain_text(f"{registered} already registered")
    text = report.inner_text()
    invited, skipped = (int(n) for n in re.findall(r"(\d+) (?:invited|skipped)", text))
    assert invited + skipped == len(matching), text
    live_site.wait_for_mail(invited)  # at least as many as this journey sent


def test_invited_supplier_registers_from_the_email_and_the_buyer_sees_the_check(
    buyer_page, new_context, live_site, demo_suppliers
):
    page = buyer_page
    supplier = pick(demo_suppliers, registered=False, index=2)
    address = "gerencia@registers.example"
    page.goto("/network/suppliers/")
    dialog = open_invite_dialog(page, supplier)
    dialog.get_by_label("E-mail addresses").fill(address)
    dialog.get_by_label("Language of the e-mail").select_option("en")
    dialog.get_by_role("button", name="Send").click()
    expect(page.get_by_role("status")).to_contain_text(f"The invitation to {address}")

    [message] = live_site.wait_for_mail(1, to=address)
    email_page = new_context().new_page()
    email_page.set_content(message.get_body(("html",)).get_content())
    screenshot(email_page, "invitation-email")
    link = email_page.get_by_role("link", name=re.compile("Register")).get_attribute("href")
    assert link.startswith(live_site.url), link

    supplier_page = new_context().new_page()
    supplier_page.goto(link)
    expect(supplier_page.get_by_label("Activation code")).not_to_have_value("")
    supplier_page.get_by_label("Your company's tax ID").fill(supplier["display"])
    supplier_page.get_by_role("button", name="Continue").click()
    expect(supplier_page.get_by_role("heading", name="Register your company")).to_be_visible()
    form = supplier_page.locator("form.form")
    for label, value in [
        ("Address", "Calle 10 # 20-30"),
        ("City", "Bogotá"),
        ("Department", "Cundinamarca"),
        ("Phone", "601 555 0101"),
        ("Your full name", "Gloria Gerente"),
    ]:
        field(form, label).fill(value)
    expect(form.get_by_label("Your e-mail")).to_have_value(address)
    field(form, "Password").fill("a-long-new-pass-2026")
    form.get_by_label("Password again").fill("a-long-new-pass-2026")
    screenshot(supplier_page, "registration", full_page=True)
    form.get_by_role("button", name="Register").click()

    expect(supplier_page.get_by_role("status")).to_contain_text("Welcome to SupplierNet!")
    expect(supplier_page.locator(".topbar")).to_contain_text(supplier["name"])  # logged in

    page.goto("/network/suppliers/")
    filter_by_tax_id(page, supplier["display"])
    expect(supplier_row(page, supplier).get_by_text("Registered", exact=True)).to_be_visible()


def test_bulk_add_suppliers_from_the_template_with_bad_rows(buyer_page, tmp_path):
    page = buyer_page
    page.goto("/network/suppliers/")
    page.get_by_role("link", name="Bulk Add Suppliers").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the template (CSV)").click()
    template = download.value.path().read_text(encoding="utf-8-sig")
    header = next(csv.reader(io.StringIO(template)))
    assert header[:2] == ["Tax ID*", "Name*"], header

    good = [("799.654.321-5", "Empaques Bulk S.A.S."), ("799.111.222-4", "Químicos Bulk Ltda.")]
    bad = [("799.111.222-9", "Wrong Check Digit S.A."), ("799.222.333-1", "")]
    upload = tmp_path / "suppliers.csv"
    with upload.open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=header)
        writer.writeheader()
        for tax_id, name in good + bad:
            email = f"{tax_id[:11].replace('.', '')}@bulk.example"
            writer.writerow({"Tax ID*": tax_id, "Name*": name, "Email*": email, "Notify*": "0"})
    field(page, "Supplier file").set_input_files(upload)
    page.get_by_role("button", name="Upload and check").click()

    preview = page.get_by_test_id("preview")
    expect(preview).to_contain_text("2 to create · 0 to update · 0 unchanged · 2 with errors")
    expect(page.get_by_role("link", name=re.compile("^Errors"))).to_be_visible()
    screenshot(page, "import-preview")
    page.get_by_role("button", name="Process the 2 valid rows").click()

    # The page refreshes itself while the worker writes: its progress bar gives way to the result.
    result = page.get_by_test_id("result")
    expect(result).to_contain_text("2 created · 0 updated · 0 unchanged")
    expect(page.get_by_role("progressbar")).to_have_count(0)
    screenshot(page, "import-result")

    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Download the rows with errors")).click()
    errors = list(csv.reader(io.StringIO(download.value.path().read_text(encoding="utf-8-sig"))))
    assert [row[:2] for row in errors[1:]] == [list(row) for row in bad], errors


def tab_to(page, target, *, limit: int = 60) -> None:
    """Presses Tab until `target` has the focus, then checks that the focus can be seen."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            break
    expect(target).to_be_focused()
    shown = target.evaluate(
        "e => e.matches(':focus-visible') && getComputedStyle(e).outlineStyle !== 'none'"
    )
    assert shown, f"no visible focus on {target}"


def test_invite_and_register_with_the_keyboard_only(
    buyer_page, new_context, live_site, demo_suppliers
):
    page = buyer_page
    supplier = pick(demo_suppliers, registered=False, index=3)
    address = "keyboard@registers.example"
    page.goto("/network/suppliers/")
    tab_to(page, page.get_by_role("search").get_by_label("Tax ID"))
    page.keyboard.type(supplier["display"])
    page.keyboard.press("Enter")
    invite = supplier_row(page, supplier).get_by_role("link", name="Invite")
    tab_to(page, invite)
    page.keyboard.press("Enter")

    dialog = page.get_by_role("dialog", name=f"Invite {supplier['name']}")
    emails = dialog.get_by_role("textbox", name="E-mail addresses")
    expect(emails).to_be_focused()
    page.keyboard.press("ControlOrMeta+A")  # replaces the supplier's own address
    page.keyboard.type(address)
    tab_to(page, dialog.get_by_role("combobox", name="Language of the e-mail"))
    page.keyboard.press("Home")  # English, the first language
    expect(dialog.get_by_role("combobox", name="Language of the e-mail")).to_have_value("en")
    tab_to(page, dialog.get_by_role("button", name="Send"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text(f"The invitation to {address}")

    [message] = live_site.wait_for_mail(1, to=address)
    link = re.search(r"http\S+/activate/\?code=\S+", message.get_body(("plain",)).get_content())
    supplier_page = new_context().new_page()
    supplier_page.goto(link.group(0))
    tab_to(supplier_page, supplier_page.get_by_role("textbox", name="Your company's tax ID"))
    supplier_page.keyboard.type(supplier["display"])
    supplier_page.keyboard.press("Enter")

    form = supplier_page.locator("form.form")
    expect(supplier_page.get_by_role("heading", name="Register your company")).to_be_visible()
    for label, value in [
        ("Address", "Carrera 7 # 1-2"),
        ("City", "Cali"),
        ("Department", "Valle del Cauca"),
        ("Phone", "602 555 0199"),
        ("Your full name", "Teresa Teclado"),
    ]:
        tab_to(supplier_page, form.get_by_role("textbox", name=label, exact=True))
        supplier_page.keyboard.press("ControlOrMeta+A")
        supplier_page.keyboard.type(value)
    for label in ("Password", "Password again"):
        tab_to(supplier_page, field(form, label))
        supplier_page.keyboard.type("keys-only-pass-2026")
    tab_to(supplier_page, form.get_by_role("button", name="Register"))
    supplier_page.keyboard.press("Enter")
    expect(supplier_page.get_by_role("status")).to_contain_text("Welcome to SupplierNet!")

"""Sample received documents, written for these tests: the structure, namespaces and codes
of real DIAN, SUNAT, SAT (CFDI 4.0) and SII (DTE) documents, with tax IDs whose check digits
python-stdnum computes. Signatures are left empty: SupplierNet reads, it does not verify."""

# ruff: noqa: E501  (XML lines are kept as the issuers' software writes them)

from __future__ import annotations

from stdnum.cl import rut
from stdnum.co import nit
from stdnum.mx import rfc
from stdnum.pe import ruc


def co_nit(base: str) -> str:
    return base + nit.calc_check_digit(base)


def pe_ruc(base: str) -> str:
    return base + ruc.calc_check_digit(base)


def mx_rfc(base: str) -> str:
    return base + rfc.calc_check_digit(base)


def cl_rut(base: str) -> str:
    return base + rut.calc_check_digit(base)


# The buyers (company A of tests/conftest.py is CO 900.123.456-8, company B CL 76.086.428-5).
BUYER_CO = co_nit("900123456")
BUYER_PE = pe_ruc("2010007970")
BUYER_MX = mx_rfc("CAM0503149H")
BUYER_CL = cl_rut("76086428")
# Their suppliers.
SUPPLIER_CO = co_nit("800197268")
SUPPLIER_CO_2 = co_nit("860069628")
SUPPLIER_PE = pe_ruc("2060123456")
SUPPLIER_MX = mx_rfc("DME850301K2")
SUPPLIER_CL = cl_rut("96790240")
SENDER_CL = cl_rut("12345678")  # the person who signs an EnvioDTE

UBL_NAMESPACES = """\
    xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
    xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
    xmlns:ds="http://www.w3.org/2000/09/xmldsig#"
    xmlns:ext="urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2\""""


def _dian_party(nit_with_dv: str, name: str, *, email: str = "", city: str = "Bogotá") -> str:
    number, check_digit = nit_with_dv[:-1], nit_with_dv[-1]
    contact = f"<cac:Contact><cbc:ElectronicMail>{email}</cbc:ElectronicMail></cac:Contact>"
    return f"""<cac:Party>
      <cac:PartyName><cbc:Name>{name}</cbc:Name></cac:PartyName>
      <cac:PhysicalLocation>
        <cac:Address>
          <cbc:ID>11001</cbc:ID>
          <cbc:CityName>{city}</cbc:CityName>
          <cbc:CountrySubentity>Bogotá</cbc:CountrySubentity>
          <cbc:CountrySubentityCode>11</cbc:CountrySubentityCode>
          <cac:AddressLine><cbc:Line>Carrera 7 # 71-21</cbc:Line></cac:AddressLine>
          <cac:Country><cbc:IdentificationCode>CO</cbc:IdentificationCode></cac:Country>
        </cac:Address>
      </cac:PhysicalLocation>
      <cac:PartyTaxScheme>
        <cbc:RegistrationName>{name}</cbc:RegistrationName>
        <cbc:CompanyID schemeAgencyID="195"
            schemeAgencyName="CO, DIAN (Dirección de Impuestos y Aduanas Nacionales)"
            schemeID="{check_digit}" schemeName="31">{number}</cbc:CompanyID>
        <cbc:TaxLevelCode listName="48">O-13</cbc:TaxLevelCode>
        <cac:TaxScheme><cbc:ID>01</cbc:ID><cbc:Name>IVA</cbc:Name></cac:TaxScheme>
      </cac:PartyTaxScheme>
      <cac:PartyLegalEntity>
        <cbc:RegistrationName>{name}</cbc:RegistrationName>
        <cbc:CompanyID schemeAgencyID="195" schemeID="{check_digit}"
            schemeName="31">{number}</cbc:CompanyID>
      </cac:PartyLegalEntity>
      {contact if email else ""}
    </cac:Party>"""


def dian_invoice(**fields: str) -> bytes:
    return dian_invoice_text(**fields).encode("utf-8")


def dian_invoice_text(
    *,
    number: str = "SETP990000002",
    issuer: str = SUPPLIER_CO,
    issuer_name: str = "Transportes del Norte S.A.S.",
    email: str = "facturacion@norte.example",
    receiver: str = BUYER_CO,
    issue_date: str = "2026-03-14",
    total: str = "1190000.00",
    root: str = "Invoice",
) -> str:
    """A DIAN UBL 2.1 Invoice (or CreditNote / DebitNote with `root`)."""
    type_code = {
        "Invoice": "<cbc:InvoiceTypeCode>01</cbc:InvoiceTypeCode>",
        "CreditNote": "<cbc:CreditNoteTypeCode>91</cbc:CreditNoteTypeCode>",
        "DebitNote": "",
    }[root]
    monetary = "RequestedMonetaryTotal" if root == "DebitNote" else "LegalMonetaryTotal"
    quantity = {"Invoice": "Invoiced", "CreditNote": "Credited", "DebitNote": "Debited"}[root]
    quantity += "Quantity"
    return f"""<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<{root} xmlns="urn:oasis:names:specification:ubl:schema:xsd:{root}-2"
{UBL_NAMESPACES}
    xmlns:sts="dian:gov:co:facturaelectronica:Structures-2-1">
  <ext:UBLExtensions>
    <ext:UBLExtension>
      <ext:ExtensionContent>
        <sts:DianExtensions>
          <sts:InvoiceControl>
            <sts:InvoiceAuthorization>18760000001</sts:InvoiceAuthorization>
            <sts:AuthorizationPeriod>
              <cbc:StartDate>2026-01-01</cbc:StartDate><cbc:EndDate>2026-12-31</cbc:EndDate>
            </sts:AuthorizationPeriod>
            <sts:AuthorizedInvoices>
              <sts:Prefix>SETP</sts:Prefix><sts:From>990000000</sts:From><sts:To>995000000</sts:To>
            </sts:AuthorizedInvoices>
          </sts:InvoiceControl>
          <sts:SoftwareProvider>
            <sts:ProviderID schemeAgencyID="195" schemeID="{issuer[-1]}"
                schemeName="31">{issuer[:-1]}</sts:ProviderID>
          </sts:SoftwareProvider>
        </sts:DianExtensions>
      </ext:ExtensionContent>
    </ext:UBLExtension>
    <ext:UBLExtension><ext:ExtensionContent><ds:Signature Id="xmldsig-1"/></ext:ExtensionContent></ext:UBLExtension>
  </ext:UBLExtensions>
  <cbc:UBLVersionID>UBL 2.1</cbc:UBLVersionID>
  <cbc:CustomizationID>10</cbc:CustomizationID>
  <cbc:ProfileID>DIAN 2.1: Factura Electrónica de Venta</cbc:ProfileID>
  <cbc:ProfileExecutionID>2</cbc:ProfileExecutionID>
  <cbc:ID>{number}</cbc:ID>
  <cbc:UUID schemeID="2" schemeName="CUFE-SHA384">{"a1" * 48}</cbc:UUID>
  <cbc:IssueDate>{issue_date}</cbc:IssueDate>
  <cbc:IssueTime>10:15:00-05:00</cbc:IssueTime>
  {type_code}
  <cbc:Note>Factura de prueba escrita para SupplierNet</cbc:Note>
  <cbc:DocumentCurrencyCode listAgencyID="6" listAgencyName="United Nations Economic Commission for Europe" listID="ISO 4217 Alpha">COP</cbc:DocumentCurrencyCode>
  <cbc:LineCountNumeric>1</cbc:LineCountNumeric>
  <cac:AccountingSupplierParty>
    <cbc:AdditionalAccountID>1</cbc:AdditionalAccountID>
    {_dian_party(issuer, issuer_name, email=email)}
  </cac:AccountingSupplierParty>
  <cac:AccountingCustomerParty>
    <cbc:AdditionalAccountID>1</cbc:AdditionalAccountID>
    {_dian_party(receiver, "Almacenes Andinos S.A.S.", email="compras@andinos.example")}
  </cac:AccountingCustomerParty>
  <cac:TaxTotal>
    <cbc:TaxAmount currencyID="COP">190000.00</cbc:TaxAmount>
    <cac:TaxSubtotal>
      <cbc:TaxableAmount currencyID="COP">1000000.00</cbc:TaxableAmount>
      <cbc:TaxAmount currencyID="COP">190000.00</cbc:TaxAmount>
      <cac:TaxCategory>
        <cbc:Percent>19.00</cbc:Percent>
        <cac:TaxScheme><cbc:ID>01</cbc:ID><cbc:Name>IVA</cbc:Name></cac:TaxScheme>
      </cac:TaxCategory>
    </cac:TaxSubtotal>
  </cac:TaxTotal>
  <cac:{monetary}>
    <cbc:LineExtensionAmount currencyID="COP">1000000.00</cbc:LineExtensionAmount>
    <cbc:TaxExclusiveAmount currencyID="COP">1000000.00</cbc:TaxExclusiveAmount>
    <cbc:TaxInclusiveAmount currencyID="COP">{total}</cbc:TaxInclusiveAmount>
    <cbc:PayableAmount currencyID="COP">{total}</cbc:PayableAmount>
  </cac:{monetary}>
  <cac:{root}Line>
    <cbc:ID>1</cbc:ID>
    <cbc:{quantity} unitCode="EA">1</cbc:{quantity}>
    <cbc:LineExtensionAmount currencyID="COP">1000000.00</cbc:LineExtensionAmount>
    <cac:Item><cbc:Description>Flete Bogotá - Barranquilla</cbc:Description></cac:Item>
    <cac:Price><cbc:PriceAmount currencyID="COP">1000000.00</cbc:PriceAmount></cac:Price>
  </cac:{root}Line>
</{root}>
"""


def dian_attached_document(invoice: str | None = None, **invoice_fields: str) -> bytes:
    """DIAN's AttachedDocument: the invoice as CDATA text, followed by DIAN's validation."""
    invoice = invoice if invoice is not None else dian_invoice_text(**invoice_fields)
    issuer = invoice_fields.get("issuer", SUPPLIER_CO)
    receiver = invoice_fields.get("receiver", BUYER_CO)
    return f"""<?xml version="1.0" encoding="utf-8" standalone="no"?>
<AttachedDocument xmlns="urn:oasis:names:specification:ubl:schema:xsd:AttachedDocument-2"
{UBL_NAMESPACES}
    xmlns:xades="http://uri.etsi.org/01903/v1.3.2#">
  <ext:UBLExtensions>
    <ext:UBLExtension><ext:ExtensionContent><ds:Signature Id="sig-attached"/></ext:ExtensionContent></ext:UBLExtension>
  </ext:UBLExtensions>
  <cbc:UBLVersionID>UBL 2.1</cbc:UBLVersionID>
  <cbc:CustomizationID>Documentos adjuntos</cbc:CustomizationID>
  <cbc:ProfileID>Factura Electrónica de Venta</cbc:ProfileID>
  <cbc:ProfileExecutionID>2</cbc:ProfileExecutionID>
  <cbc:ID>ad0{issuer[:-1]}0002600000042</cbc:ID>
  <cbc:IssueDate>2026-03-14</cbc:IssueDate>
  <cbc:IssueTime>10:16:02-05:00</cbc:IssueTime>
  <cbc:DocumentType>Contenedor de Factura Electrónica</cbc:DocumentType>
  <cbc:ParentDocumentID>SETP990000002</cbc:ParentDocumentID>
  <cac:SenderParty>
    <cac:PartyTaxScheme>
      <cbc:RegistrationName>Transportes del Norte S.A.S.</cbc:RegistrationName>
      <cbc:CompanyID schemeAgencyID="195" schemeID="{issuer[-1]}" schemeName="31">{issuer[:-1]}</cbc:CompanyID>
      <cbc:TaxLevelCode>O-13</cbc:TaxLevelCode>
      <cac:TaxScheme><cbc:ID>01</cbc:ID><cbc:Name>IVA</cbc:Name></cac:TaxScheme>
    </cac:PartyTaxScheme>
  </cac:SenderParty>
  <cac:ReceiverParty>
    <cac:PartyTaxScheme>
      <cbc:RegistrationName>Almacenes Andinos S.A.S.</cbc:RegistrationName>
      <cbc:CompanyID schemeAgencyID="195" schemeID="{receiver[-1]}" schemeName="31">{receiver[:-1]}</cbc:CompanyID>
      <cbc:TaxLevelCode>O-13</cbc:TaxLevelCode>
      <cac:TaxScheme><cbc:ID>01</cbc:ID><cbc:Name>IVA</cbc:Name></cac:TaxScheme>
    </cac:PartyTaxScheme>
  </cac:ReceiverParty>
  <cac:Attachment>
    <cac:ExternalReference>
      <cbc:MimeCode>text/xml</cbc:MimeCode>
      <cbc:EncodingCode>UTF-8</cbc:EncodingCode>
      <cbc:Description><![CDATA[{invoice}]]></cbc:Description>
    </cac:ExternalReference>
  </cac:Attachment>
  <cac:ParentDocumentLineReference>
    <cbc:LineID>1</cbc:LineID>
    <cac:DocumentReference>
      <cbc:ID>SETP990000002</cbc:ID>
      <cbc:UUID schemeName="CUFE-SHA384">{"a1" * 48}</cbc:UUID>
      <cbc:IssueDate>2026-03-14</cbc:IssueDate>
      <cbc:DocumentType>ApplicationResponse</cbc:DocumentType>
      <cac:Attachment>
        <cac:ExternalReference>
          <cbc:MimeCode>text/xml</cbc:MimeCode>
          <cbc:EncodingCode>UTF-8</cbc:EncodingCode>
          <cbc:Description><![CDATA[<?xml version="1.0" encoding="utf-8"?><ApplicationResponse xmlns="urn:oasis:names:specification:ubl:schema:xsd:ApplicationResponse-2"><cbc:ID xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">26000000042</cbc:ID></ApplicationResponse>]]></cbc:Description>
        </cac:ExternalReference>
      </cac:Attachment>
      <cac:ResultOfVerification>
        <cbc:ValidatorID>Unidad Especial Dirección de Impuestos y Aduanas Nacionales</cbc:ValidatorID>
        <cbc:ValidationResultCode>02</cbc:ValidationResultCode>
        <cbc:ValidationDate>2026-03-14</cbc:ValidationDate>
        <cbc:ValidationTime>10:16:01-05:00</cbc:ValidationTime>
      </cac:ResultOfVerification>
    </cac:DocumentReference>
  </cac:ParentDocumentLineReference>
</AttachedDocument>
""".encode()


def _sunat_party(role: str, number: str, name: str, *, email: str = "") -> str:
    contact = f"<cac:Contact><cbc:ElectronicMail>{email}</cbc:ElectronicMail></cac:Contact>"
    return f"""<cac:{role}>
    <cac:Party>
      <cac:PartyIdentification>
        <cbc:ID schemeID="6" schemeName="Documento de Identidad" schemeAgencyName="PE:SUNAT"
            schemeURI="urn:pe:gob:sunat:cpe:see:gem:catalogos:catalogo06">{number}</cbc:ID>
      </cac:PartyIdentification>
      <cac:PartyName><cbc:Name><![CDATA[{name}]]></cbc:Name></cac:PartyName>
      <cac:PartyLegalEntity>
        <cbc:RegistrationName><![CDATA[{name}]]></cbc:RegistrationName>
        <cac:RegistrationAddress>
          <cbc:ID schemeName="Ubigeos" schemeAgencyName="PE:INEI">150131</cbc:ID>
          <cbc:AddressTypeCode listAgencyName="PE:SUNAT" listName="Establecimientos anexos">0000</cbc:AddressTypeCode>
          <cbc:CityName><![CDATA[LIMA]]></cbc:CityName>
          <cbc:CountrySubentity><![CDATA[LIMA]]></cbc:CountrySubentity>
          <cbc:District><![CDATA[SAN ISIDRO]]></cbc:District>
          <cac:AddressLine><cbc:Line><![CDATA[AV. JAVIER PRADO ESTE 492]]></cbc:Line></cac:AddressLine>
          <cac:Country><cbc:IdentificationCode listID="ISO 3166-1">PE</cbc:IdentificationCode></cac:Country>
        </cac:RegistrationAddress>
      </cac:PartyLegalEntity>
      {contact if email else ""}
    </cac:Party>
  </cac:{role}>"""


def sunat_document(
    *,
    root: str = "Invoice",
    number: str = "F001-00000123",
    issuer: str = SUPPLIER_PE,
    issuer_name: str = "Servicios Andinos del Perú S.A.C.",
    email: str = "",
    receiver: str = BUYER_PE,
    total: str = "1180.00",
) -> bytes:
    """A SUNAT UBL 2.1 Invoice (factura, type 01) or CreditNote (nota de crédito)."""
    specific = (
        '<cbc:InvoiceTypeCode listAgencyName="PE:SUNAT" listName="Tipo de Documento" '
        'listURI="urn:pe:gob:sunat:cpe:see:gem:catalogos:catalogo01" listID="0101" '
        'name="Tipo de Operacion">01</cbc:InvoiceTypeCode>'
        if root == "Invoice"
        else """<cac:DiscrepancyResponse>
    <cbc:ReferenceID>F001-00000100</cbc:ReferenceID>
    <cbc:ResponseCode listAgencyName="PE:SUNAT" listName="Tipo de nota de credito"
        listURI="urn:pe:gob:sunat:cpe:see:gem:catalogos:catalogo09">01</cbc:ResponseCode>
    <cbc:Description><![CDATA[ANULACION DE LA OPERACION]]></cbc:Description>
  </cac:DiscrepancyResponse>"""
    )
    line = "InvoiceLine" if root == "Invoice" else "CreditNoteLine"
    quantity = "InvoicedQuantity" if root == "Invoice" else "CreditedQuantity"
    return f"""<?xml version="1.0" encoding="ISO-8859-1" standalone="no"?>
<{root} xmlns="urn:oasis:names:specification:ubl:schema:xsd:{root}-2"
{UBL_NAMESPACES}>
  <ext:UBLExtensions>
    <ext:UBLExtension><ext:ExtensionContent><ds:Signature Id="SignatureSP"/></ext:ExtensionContent></ext:UBLExtension>
  </ext:UBLExtensions>
  <cbc:UBLVersionID>2.1</cbc:UBLVersionID>
  <cbc:CustomizationID schemeAgencyName="PE:SUNAT">2.0</cbc:CustomizationID>
  <cbc:ID>{number}</cbc:ID>
  <cbc:IssueDate>2026-02-20</cbc:IssueDate>
  <cbc:IssueTime>09:30:00</cbc:IssueTime>
  {specific if root == "Invoice" else ""}
  <cbc:DocumentCurrencyCode listID="ISO 4217 Alpha" listName="Currency"
      listAgencyName="United Nations Economic Commission for Europe">PEN</cbc:DocumentCurrencyCode>
  {specific if root != "Invoice" else ""}
  <cac:Signature>
    <cbc:ID>{issuer}</cbc:ID>
    <cac:SignatoryParty>
      <cac:PartyIdentification><cbc:ID>{issuer}</cbc:ID></cac:PartyIdentification>
    </cac:SignatoryParty>
    <cac:DigitalSignatureAttachment><cac:ExternalReference><cbc:URI>#SignatureSP</cbc:URI></cac:ExternalReference></cac:DigitalSignatureAttachment>
  </cac:Signature>
  {_sunat_party("AccountingSupplierParty", issuer, issuer_name, email=email)}
  {_sunat_party("AccountingCustomerParty", receiver, "Distribuidora Pacífico S.A.")}
  <cac:TaxTotal>
    <cbc:TaxAmount currencyID="PEN">180.00</cbc:TaxAmount>
    <cac:TaxSubtotal>
      <cbc:TaxableAmount currencyID="PEN">1000.00</cbc:TaxableAmount>
      <cbc:TaxAmount currencyID="PEN">180.00</cbc:TaxAmount>
      <cac:TaxCategory>
        <cac:TaxScheme>
          <cbc:ID schemeName="Codigo de tributos" schemeAgencyName="PE:SUNAT">1000</cbc:ID>
          <cbc:Name>IGV</cbc:Name><cbc:TaxTypeCode>VAT</cbc:TaxTypeCode>
        </cac:TaxScheme>
      </cac:TaxCategory>
    </cac:TaxSubtotal>
  </cac:TaxTotal>
  <cac:LegalMonetaryTotal>
    <cbc:LineExtensionAmount currencyID="PEN">1000.00</cbc:LineExtensionAmount>
    <cbc:TaxInclusiveAmount currencyID="PEN">{total}</cbc:TaxInclusiveAmount>
    <cbc:PayableAmount currencyID="PEN">{total}</cbc:PayableAmount>
  </cac:LegalMonetaryTotal>
  <cac:{line}>
    <cbc:ID>1</cbc:ID>
    <cbc:{quantity} unitCode="ZZ">1</cbc:{quantity}>
    <cbc:LineExtensionAmount currencyID="PEN">1000.00</cbc:LineExtensionAmount>
    <cac:Item><cbc:Description><![CDATA[SERVICIO DE MANTENIMIENTO]]></cbc:Description></cac:Item>
    <cac:Price><cbc:PriceAmount currencyID="PEN">1000.00</cbc:PriceAmount></cac:Price>
  </cac:{line}>
</{root}>
""".encode("iso-8859-1")


def cfdi(
    *,
    serie: str = "A",
    folio: str = "1024",
    kind: str = "I",
    issuer: str = SUPPLIER_MX,
    issuer_name: str = "DISTRIBUIDORA MEXICANA DEL BAJIO",
    receiver: str = BUYER_MX,
    total: str = "11600.00",
) -> bytes:
    """A CFDI 4.0 comprobante stamped by a PAC (TimbreFiscalDigital 1.1)."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<cfdi:Comprobante xmlns:cfdi="http://www.sat.gob.mx/cfd/4"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xmlns:tfd="http://www.sat.gob.mx/TimbreFiscalDigital"
    xsi:schemaLocation="http://www.sat.gob.mx/cfd/4 http://www.sat.gob.mx/sitio_internet/cfd/4/cfdv40.xsd"
    Version="4.0" Serie="{serie}" Folio="{folio}" Fecha="2026-01-28T12:40:05"
    Sello="" NoCertificado="30001000000500003416" Certificado=""
    FormaPago="03" SubTotal="10000.00" Moneda="MXN" Total="{total}"
    TipoDeComprobante="{kind}" Exportacion="01" MetodoPago="PUE" LugarExpedicion="37150">
  <cfdi:Emisor Rfc="{issuer}" Nombre="{issuer_name}" RegimenFiscal="601"/>
  <cfdi:Receptor Rfc="{receiver}" Nombre="COMERCIALIZADORA AZTECA MEXICO"
      DomicilioFiscalReceptor="06600" RegimenFiscalReceptor="601" UsoCFDI="G03"/>
  <cfdi:Conceptos>
    <cfdi:Concepto ClaveProdServ="78101802" Cantidad="1" ClaveUnidad="E48"
        Descripcion="Servicio de flete" ValorUnitario="10000.00" Importe="10000.00" ObjetoImp="02">
      <cfdi:Impuestos>
        <cfdi:Traslados>
          <cfdi:Traslado Base="10000.00" Impuesto="002" TipoFactor="Tasa"
              TasaOCuota="0.160000" Importe="1600.00"/>
        </cfdi:Traslados>
      </cfdi:Impuestos>
    </cfdi:Concepto>
  </cfdi:Conceptos>
  <cfdi:Impuestos TotalImpuestosTrasladados="1600.00">
    <cfdi:Traslados>
      <cfdi:Traslado Base="10000.00" Impuesto="002" TipoFactor="Tasa" TasaOCuota="0.160000"
          Importe="1600.00"/>
    </cfdi:Traslados>
  </cfdi:Impuestos>
  <cfdi:Complemento>
    <tfd:TimbreFiscalDigital Version="1.1" UUID="6F3E1C2A-9B4D-4E8F-A1B2-C3D4E5F60718"
        FechaTimbrado="2026-01-28T12:41:00" RfcProvCertif="SPR190613I52" SelloCFD=""
        NoCertificadoSAT="30001000000500003456" SelloSAT=""/>
  </cfdi:Complemento>
</cfdi:Comprobante>
""".encode()


def _dte(
    *,
    kind: str = "33",
    folio: str = "2051",
    issuer: str = SUPPLIER_CL,
    issuer_name: str = "Transportes Cordillera Limitada",
    email: str = "dte@cordillera.example",
    receiver: str = BUYER_CL,
    total: str = "119000",
) -> str:
    rut_issuer = f"{issuer[:-1]}-{issuer[-1]}"
    rut_receiver = f"{receiver[:-1]}-{receiver[-1]}"
    return f"""<DTE version="1.0">
  <Documento ID="F{folio}T{kind}">
    <Encabezado>
      <IdDoc>
        <TipoDTE>{kind}</TipoDTE>
        <Folio>{folio}</Folio>
        <FchEmis>2026-04-02</FchEmis>
        <FmaPago>2</FmaPago>
      </IdDoc>
      <Emisor>
        <RUTEmisor>{rut_issuer}</RUTEmisor>
        <RznSoc>{issuer_name}</RznSoc>
        <GiroEmis>Transporte de carga por carretera</GiroEmis>
        <Acteco>492300</Acteco>
        {f"<CorreoEmisor>{email}</CorreoEmisor>" if email else ""}
        <DirOrigen>Av. Libertador Bernardo O'Higgins 1449</DirOrigen>
        <CmnaOrigen>Santiago</CmnaOrigen>
        <CiudadOrigen>Santiago</CiudadOrigen>
      </Emisor>
      <Receptor>
        <RUTRecep>{rut_receiver}</RUTRecep>
        <RznSocRecep>Comercial Austral SpA</RznSocRecep>
        <GiroRecep>Comercio al por mayor</GiroRecep>
        <DirRecep>Av. Apoquindo 3000</DirRecep>
        <CmnaRecep>Las Condes</CmnaRecep>
      </Receptor>
      <Totales>
        <MntNeto>100000</MntNeto>
        <TasaIVA>19</TasaIVA>
        <IVA>19000</IVA>
        <MntTotal>{total}</MntTotal>
      </Totales>
    </Encabezado>
    <Detalle>
      <NroLinDet>1</NroLinDet>
      <NmbItem>Flete Santiago - Valparaíso</NmbItem>
      <QtyItem>1</QtyItem>
      <PrcItem>100000</PrcItem>
      <MontoItem>100000</MontoItem>
    </Detalle>
    <TED version="1.0"><DD><RE>{rut_issuer}</RE><TD>{kind}</TD><F>{folio}</F></DD><FRMT algoritmo="SHA1withRSA"/></TED>
    <TmstFirma>2026-04-02T11:20:33</TmstFirma>
  </Documento>
  <Signature xmlns="http://www.w3.org/2000/09/xmldsig#"/>
</DTE>"""


def dte(**fields: str) -> bytes:
    """A Chilean DTE on its own, ISO-8859-1 encoded as the SII's documents are."""
    body = _dte(**fields).replace("<DTE ", '<DTE xmlns="http://www.sii.cl/SiiDte" ', 1)
    return f'<?xml version="1.0" encoding="ISO-8859-1"?>\n{body}\n'.encode("iso-8859-1")


def envio_dte(*documents: dict[str, str]) -> bytes:
    """An EnvioDTE: several DTE of one issuer in the set the issuer sends its receiver."""
    first = documents[0]
    issuer = first.get("issuer", SUPPLIER_CL)
    receiver = first.get("receiver", BUYER_CL)
    body = "\n".join(_dte(**fields) for fields in documents)
    return f"""<?xml version="1.0" encoding="ISO-8859-1"?>
<EnvioDTE xmlns="http://www.sii.cl/SiiDte" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="http://www.sii.cl/SiiDte EnvioDTE_v10.xsd" version="1.0">
  <SetDTE ID="SetDoc">
    <Caratula version="1.0">
      <RutEmisor>{issuer[:-1]}-{issuer[-1]}</RutEmisor>
      <RutEnvia>{SENDER_CL[:-1]}-{SENDER_CL[-1]}</RutEnvia>
      <RutReceptor>{receiver[:-1]}-{receiver[-1]}</RutReceptor>
      <FchResol>2014-08-22</FchResol>
      <NroResol>80</NroResol>
      <TmstFirmaEnv>2026-04-02T11:21:00</TmstFirmaEnv>
      <SubTotDTE><TpoDTE>33</TpoDTE><NroDTE>{len(documents)}</NroDTE></SubTotDTE>
    </Caratula>
    {body}
  </SetDTE>
  <Signature xmlns="http://www.w3.org/2000/09/xmldsig#"/>
</EnvioDTE>
""".encode("iso-8859-1")

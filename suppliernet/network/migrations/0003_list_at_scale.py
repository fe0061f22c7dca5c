"""The Suppliers list at a million suppliers: an index per sort, the `registered` copy of the
supplier company's status kept by triggers, and PostgreSQL's trigram and prefix indexes."""

from django.db import migrations, models

# Supplier.registered mirrors `company.registered_at IS NOT NULL`. Triggers keep it on every
# write path (ORM saves, bulk_create, the imports' raw upserts, registering), so no Python
# code can forget it. A Django save() writes every column, the stale copy included, which is
# why the supplier's own trigger recomputes on UPDATE too.
# SQLite drops a table's triggers when Django rebuilds that table in a later migration:
# tests/network/test_registered_copy.py fails if that ever happens.
BACKFILL = """
UPDATE network_supplier SET registered = TRUE
WHERE company_id IN (SELECT id FROM companies_company WHERE registered_at IS NOT NULL)
"""

POSTGRESQL = """
CREATE FUNCTION network_supplier_registered() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.registered := EXISTS (
        SELECT 1 FROM companies_company
        WHERE id = NEW.company_id AND registered_at IS NOT NULL
    );
    RETURN NEW;
END $$;
CREATE TRIGGER network_supplier_registered BEFORE INSERT OR UPDATE ON network_supplier
    FOR EACH ROW EXECUTE FUNCTION network_supplier_registered();

CREATE FUNCTION companies_company_registered() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE network_supplier SET registered = (NEW.registered_at IS NOT NULL)
    WHERE company_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER companies_company_registered AFTER UPDATE OF registered_at ON companies_company
    FOR EACH ROW WHEN (OLD.registered_at IS DISTINCT FROM NEW.registered_at)
    EXECUTE FUNCTION companies_company_registered();

-- Name and city contains (folded, so accent-insensitive): LIKE through trigrams.
-- pg_trgm is a trusted extension from PostgreSQL 13 on: the database owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX supplier_name_trgm ON network_supplier USING gin (name_folded gin_trgm_ops);
CREATE INDEX supplier_city_trgm ON network_supplier USING gin (city_folded gin_trgm_ops);
-- Tax ID prefix: a LIKE on a prefix needs pattern ops unless the database collation is C.
CREATE INDEX supplier_buyer_tax_id_prefix
    ON network_supplier (buyer_id, tax_id varchar_pattern_ops);
-- "Latest document first" sorts on this expression (see network.listing.SORTS).
CREATE INDEX supplier_buyer_document_key
    ON network_supplier (buyer_id, COALESCE(last_document_date, '0001-01-01'::date), id);
"""

POSTGRESQL_REVERSE = """
DROP INDEX IF EXISTS supplier_buyer_document_key;
DROP INDEX IF EXISTS supplier_buyer_tax_id_prefix;
DROP INDEX IF EXISTS supplier_city_trgm;
DROP INDEX IF EXISTS supplier_name_trgm;
DROP TRIGGER IF EXISTS companies_company_registered ON companies_company;
DROP FUNCTION IF EXISTS companies_company_registered();
DROP TRIGGER IF EXISTS network_supplier_registered ON network_supplier;
DROP FUNCTION IF EXISTS network_supplier_registered();
"""

# SQLite has no BEFORE-trigger assignment: the AFTER triggers correct the row instead. They
# do not loop: SQLite runs a trigger recursively only with PRAGMA recursive_triggers, and the
# WHEN clauses skip rows already right.
SQLITE_REGISTERED = (
    "EXISTS (SELECT 1 FROM companies_company"
    " WHERE id = NEW.company_id AND registered_at IS NOT NULL)"
)
SQLITE = [
    f"""
    CREATE TRIGGER network_supplier_registered_insert AFTER INSERT ON network_supplier
    WHEN NEW.registered IS NOT {SQLITE_REGISTERED}
    BEGIN
        UPDATE network_supplier SET registered = {SQLITE_REGISTERED} WHERE id = NEW.id;
    END
    """,
    f"""
    CREATE TRIGGER network_supplier_registered_update AFTER UPDATE ON network_supplier
    WHEN NEW.registered IS NOT {SQLITE_REGISTERED}
    BEGIN
        UPDATE network_supplier SET registered = {SQLITE_REGISTERED} WHERE id = NEW.id;
    END
    """,
    """
    CREATE TRIGGER companies_company_registered AFTER UPDATE OF registered_at
    ON companies_company WHEN OLD.registered_at IS NOT NEW.registered_at
    BEGIN
        UPDATE network_supplier SET registered = (NEW.registered_at IS NOT NULL)
        WHERE company_id = NEW.id;
    END
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS companies_company_registered",
    "DROP TRIGGER IF EXISTS network_supplier_registered_update",
    "DROP TRIGGER IF EXISTS network_supplier_registered_insert",
]


def create(apps, schema_editor) -> None:
    schema_editor.execute(BACKFILL)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL)
    else:
        for statement in SQLITE:
            schema_editor.execute(statement)


def drop(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_REVERSE)
    else:
        for statement in SQLITE_REVERSE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("companies", "0001_initial"),
        ("network", "0002_supplier_document_facts"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="supplier",
            name="supplier_buyer_name",
        ),
        migrations.RemoveIndex(
            model_name="supplier",
            name="supplier_buyer_city",
        ),
        migrations.RemoveIndex(
            model_name="supplier",
            name="supplier_buyer_created",
        ),
        migrations.AddField(
            model_name="supplier",
            name="registered",
            field=models.BooleanField(
                db_default=False, editable=False, verbose_name="registered"
            ),
        ),
        migrations.AddIndex(
            model_name="supplier",
            index=models.Index(
                fields=["buyer", "name_folded", "id"], name="supplier_buyer_name_id"
            ),
        ),
        migrations.AddIndex(
            model_name="supplier",
            index=models.Index(fields=["buyer", "tax_id", "id"], name="supplier_buyer_tax_id"),
        ),
        migrations.AddIndex(
            model_name="supplier",
            index=models.Index(
                fields=["buyer", "city_folded", "name_folded", "id"], name="supplier_buyer_city_id"
            ),
        ),
        migrations.AddIndex(
            model_name="supplier",
            index=models.Index(
                fields=["buyer", "created_at", "id"], name="supplier_buyer_created_id"
            ),
        ),
        migrations.AddIndex(
            model_name="supplier",
            index=models.Index(fields=["buyer", "registered"], name="supplier_buyer_registered"),
        ),
        migrations.RunPython(create, drop),
    ]

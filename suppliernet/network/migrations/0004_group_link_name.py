"""Supplier.groups through a model of its own on the same table, which carries copies of the
supplier's `name_folded` and `registered` kept by triggers: a group's list page in name order
and its counts are then index ranges (models.SupplierGroupLink)."""

import django.db.models.deletion
from django.db import migrations, models

TABLE = "network_supplier_groups"
BACKFILL = f"""
UPDATE {TABLE} SET (name_folded, registered) = (
    SELECT name_folded, registered FROM network_supplier
    WHERE network_supplier.id = {TABLE}.supplier_id
)
"""

# The link copies its supplier's name and status when written (Django's inserts name only the
# two ids); a supplier's rename or registering (migration 0003's triggers) reaches its links. A Django save() writes every column, the stale copy
# included, which is why the link's own trigger recomputes on UPDATE too.
POSTGRESQL = f"""
CREATE FUNCTION network_group_link_name() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT name_folded, registered INTO NEW.name_folded, NEW.registered
    FROM network_supplier WHERE id = NEW.supplier_id;
    RETURN NEW;
END $$;
CREATE TRIGGER network_group_link_name BEFORE INSERT OR UPDATE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION network_group_link_name();

CREATE FUNCTION network_supplier_group_names() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE {TABLE} SET name_folded = NEW.name_folded, registered = NEW.registered
    WHERE supplier_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER network_supplier_group_names AFTER UPDATE OF name_folded, registered
    ON network_supplier FOR EACH ROW
    WHEN (OLD.name_folded IS DISTINCT FROM NEW.name_folded
          OR OLD.registered IS DISTINCT FROM NEW.registered)
    EXECUTE FUNCTION network_supplier_group_names();
"""
POSTGRESQL_REVERSE = f"""
DROP TRIGGER IF EXISTS network_supplier_group_names ON network_supplier;
DROP FUNCTION IF EXISTS network_supplier_group_names();
DROP TRIGGER IF EXISTS network_group_link_name ON {TABLE};
DROP FUNCTION IF EXISTS network_group_link_name();
"""

# SQLite has no BEFORE-trigger assignment: AFTER triggers correct the row; the WHEN clauses
# skip rows already right, so they do not loop (see migration 0003).
SQLITE_NAME = "(SELECT name_folded FROM network_supplier WHERE id = NEW.supplier_id)"
SQLITE_REGISTERED = "(SELECT registered FROM network_supplier WHERE id = NEW.supplier_id)"
SQLITE_STALE = (
    f"NEW.name_folded IS NOT {SQLITE_NAME} OR NEW.registered IS NOT {SQLITE_REGISTERED}"
)
SQLITE_COPY = f"name_folded = {SQLITE_NAME}, registered = {SQLITE_REGISTERED}"
SQLITE = [
    f"""
    CREATE TRIGGER network_group_link_name_insert AFTER INSERT ON {TABLE}
    WHEN {SQLITE_STALE}
    BEGIN
        UPDATE {TABLE} SET {SQLITE_COPY} WHERE id = NEW.id;
    END
    """,
    f"""
    CREATE TRIGGER network_group_link_name_update AFTER UPDATE ON {TABLE}
    WHEN {SQLITE_STALE}
    BEGIN
        UPDATE {TABLE} SET {SQLITE_COPY} WHERE id = NEW.id;
    END
    """,
    f"""
    CREATE TRIGGER network_supplier_group_names AFTER UPDATE OF name_folded, registered
    ON network_supplier
    WHEN OLD.name_folded IS NOT NEW.name_folded OR OLD.registered IS NOT NEW.registered
    BEGIN
        UPDATE {TABLE} SET name_folded = NEW.name_folded, registered = NEW.registered
        WHERE supplier_id = NEW.id;
    END
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS network_supplier_group_names",
    "DROP TRIGGER IF EXISTS network_group_link_name_update",
    "DROP TRIGGER IF EXISTS network_group_link_name_insert",
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
        ("network", "0003_list_at_scale"),
    ]

    operations = [
        # The table, its columns, constraint and indexes stay as Django made them for the
        # automatic through model: only the migration state learns the model's name.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SupplierGroupLink",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "supplier",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                to="network.supplier",
                            ),
                        ),
                        (
                            "suppliergroup",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                to="network.suppliergroup",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "network_supplier_groups",
                        "unique_together": {("supplier", "suppliergroup")},
                    },
                ),
                migrations.AlterField(
                    model_name="supplier",
                    name="groups",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="suppliers",
                        through="network.SupplierGroupLink",
                        to="network.suppliergroup",
                    ),
                ),
            ],
        ),
        migrations.AddField(
            model_name="suppliergrouplink",
            name="name_folded",
            field=models.CharField(db_default="", editable=False, max_length=200),
        ),
        migrations.AddField(
            model_name="suppliergrouplink",
            name="registered",
            field=models.BooleanField(db_default=False, editable=False),
        ),
        migrations.RunPython(create, drop),
        migrations.AddIndex(
            model_name="suppliergrouplink",
            index=models.Index(
                fields=["suppliergroup", "name_folded", "supplier"], name="group_link_name"
            ),
        ),
        migrations.AddIndex(
            model_name="suppliergrouplink",
            index=models.Index(
                fields=["suppliergroup", "registered", "name_folded", "supplier"],
                name="group_link_registered_name",
            ),
        ),
    ]

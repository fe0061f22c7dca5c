"""What imports tell other apps (e.g. webhooks report finished imports).

Sent in the transaction that records the end, where there is one: a receiver's writes
commit or roll back with it.
"""

from __future__ import annotations

from django.dispatch import Signal

# sender=SupplierImport, supplier_import_id=<UUID>; the import is now done (processed),
# failed (processing stopped) or rejected (by the checks, after the upload was accepted).
import_finished = Signal()

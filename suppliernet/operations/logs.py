"""One JSON object per log line (LOG_FORMAT=json), for log shippers that index fields."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from suppliernet.operations.requestid import current_request_id


class JSONFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or current_request_id(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        # default=str: a stray non-JSON argument must not lose the line.
        return json.dumps(entry, ensure_ascii=False, default=str)
